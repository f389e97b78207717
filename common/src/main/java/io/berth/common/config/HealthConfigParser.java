package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Parses distribution's {@code health} section ({@code configuration.go} and {@code handlers/app.go}
 * {@code RegisterHealthChecks}): an interval of 0 means 10s, a threshold of 0 reports the first failure, an HTTP check
 * expects 200 unless told otherwise.
 */
final class HealthConfigParser {
  private static final List<String> SECTIONS = List.of("health", "health.storagedriver");
  /**
   * The official registry:2 image ships {@code health.storagedriver} enabled with interval 10s and threshold 3;
   * distribution's built-in default is off. Berth takes the image's values: without the check /readyz could not
   * tell that storage is gone.
   */
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  private static final int DEFAULT_THRESHOLD = 3;
  private static final Set<String> FILE_KEYS = Set.of("file", "interval");
  private static final Set<String> HTTP_KEYS = Set.of("uri", "headers", "statuscode", "timeout", "interval",
      "threshold");
  private static final Set<String> TCP_KEYS = Set.of("addr", "timeout", "interval", "threshold");

  private HealthConfigParser() {
  }

  static HealthConfig health(ConfigReader reader) {
    MonitoringConfigParser.requireSections(reader, SECTIONS);
    boolean enabled = reader.bool("health.storagedriver.enabled", true);
    Duration interval = interval("health.storagedriver.interval", reader.value("health.storagedriver.interval"));
    int threshold = nonNegativeInt("health.storagedriver.threshold", reader.value("health.storagedriver.threshold"),
        DEFAULT_THRESHOLD);
    return new HealthConfig(new HealthConfig.StorageDriverCheck(enabled, interval, threshold),
        entries(reader, "health.file", FILE_KEYS, HealthConfigParser::file),
        entries(reader, "health.http", HTTP_KEYS, HealthConfigParser::http),
        entries(reader, "health.tcp", TCP_KEYS, HealthConfigParser::tcp));
  }

  private static HealthConfig.FileCheck file(String key, JsonObject entry) {
    return new HealthConfig.FileCheck(Path.of(ConfigValues.required(key + ".file", entry.getValue("file"))),
        interval(key + ".interval", entry.getValue("interval")));
  }

  private static HealthConfig.HttpCheck http(String key, JsonObject entry) {
    int statusCode = nonNegativeInt(key + ".statuscode", entry.getValue("statuscode"), 0);
    if (statusCode != 0 && (statusCode < 100 || statusCode > 599)) {
      throw new ConfigException(key + ".statuscode", "expected an HTTP status code, got " + statusCode);
    }
    return new HealthConfig.HttpCheck(
        NotificationsConfigParser.url(key + ".uri", ConfigValues.required(key + ".uri", entry.getValue("uri"))),
        HeaderSection.parse(key + ".headers", entry.getValue("headers")),
        statusCode == 0 ? 200 : statusCode, timeout(key + ".timeout", entry.getValue("timeout")),
        interval(key + ".interval", entry.getValue("interval")),
        nonNegativeInt(key + ".threshold", entry.getValue("threshold"), 0));
  }

  private static HealthConfig.TcpCheck tcp(String key, JsonObject entry) {
    String addr = ConfigValues.required(key + ".addr", entry.getValue("addr"));
    HostPort hostPort = HostPort.parse(key + ".addr", addr);
    if (hostPort.port() == 0) {
      throw new ConfigException(key + ".addr", "expected host:port with a port, got \"" + addr + "\"");
    }
    return new HealthConfig.TcpCheck(addr, hostPort.host(), hostPort.port(),
        timeout(key + ".timeout", entry.getValue("timeout")), interval(key + ".interval", entry.getValue("interval")),
        nonNegativeInt(key + ".threshold", entry.getValue("threshold"), 0));
  }

  /** A list of checks; keys distribution does not define are reported as not acted on, like any unread key. */
  private static <T> List<T> entries(ConfigReader reader, String key, Set<String> known,
      BiFunction<String, JsonObject, T> parse) {
    Object value = reader.value(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray list)) {
      throw new ConfigException(key, "expected a list of checks");
    }
    List<T> checks = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String entryKey = key + "[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject entry)) {
        throw new ConfigException(entryKey, "expected a check with keys, got \"" + list.getValue(i) + "\"");
      }
      for (String field : entry.fieldNames()) {
        if (!known.contains(field)) {
          reader.notActedOn(entryKey + "." + field);
        }
      }
      checks.add(parse.apply(entryKey, entry));
    }
    return List.copyOf(checks);
  }

  /** distribution reads an interval of 0 (or none) as its default. */
  private static Duration interval(String key, Object value) {
    Duration interval = ConfigValues.duration(key, value, Duration.ZERO);
    if (interval.isNegative()) {
      throw new ConfigException(key, "must not be negative");
    }
    return interval.isZero() ? DEFAULT_INTERVAL : interval;
  }

  /** None (zero): the request has no timeout of its own, as in distribution. */
  private static Duration timeout(String key, Object value) {
    Duration timeout = ConfigValues.duration(key, value, Duration.ZERO);
    if (timeout.isNegative()) {
      throw new ConfigException(key, "must not be negative");
    }
    return timeout;
  }

  static int nonNegativeInt(String key, Object value, int fallback) {
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(WrittenScalar.typed(value)).trim();
    if (!text.matches("\\d{1,9}")) {
      throw new ConfigException(key, "expected a whole number of 0 or more, got \"" + value + "\"");
    }
    return Integer.parseInt(text);
  }
}
