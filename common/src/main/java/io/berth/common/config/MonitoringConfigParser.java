package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Parses distribution's {@code http.debug} (debug server, Prometheus) and {@code health} sections. */
final class MonitoringConfigParser {
  private static final List<String> DEBUG_SECTIONS = List.of("http.debug", "http.debug.prometheus",
      "http.debug.prometheus.storageusage");
  private static final List<String> HEALTH_SECTIONS = List.of("health", "health.storagedriver");
  private static final Set<String> DEBUG_ROUTES = Set.of("/debug/health", "/livez", "/readyz");
  private static final Set<String> ANY_HOST = Set.of("0.0.0.0", "::", "");
  /**
   * The official registry:2 image ships {@code health.storagedriver} enabled with interval 10s and threshold 3;
   * distribution's built-in default is off. Berth takes the image's values: without the check /readyz could not
   * tell that storage is gone.
   */
  private static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  private static final int DEFAULT_THRESHOLD = 3;

  private MonitoringConfigParser() {
  }

  static DebugConfig debug(ConfigReader reader, HttpConfig http, AuthServerConfig authServer) {
    requireSections(reader, DEBUG_SECTIONS);
    DebugConfig.StorageUsage storageUsage = storageUsage(reader);
    String addr = reader.string("http.debug.addr", "");
    boolean prometheus = reader.bool("http.debug.prometheus.enabled", false);
    String path = reader.string("http.debug.prometheus.path", DebugConfig.DEFAULT_PROMETHEUS_PATH);
    if (!path.startsWith("/") || path.length() < 2) {
      throw new ConfigException("http.debug.prometheus.path", "expected a path such as /metrics, got \"" + path + "\"");
    }
    if (DEBUG_ROUTES.contains(path)) {
      throw new ConfigException("http.debug.prometheus.path", path + " is taken by the debug server's own endpoint");
    }
    if (addr.isBlank()) {
      if (prometheus) {
        throw new ConfigException("http.debug.prometheus.enabled",
            "metrics are served by the debug server: set http.debug.addr too");
      }
      return DebugConfig.disabled();
    }
    HostPort hostPort = HostPort.parse("http.debug.addr", addr);
    if (clashes(hostPort, http.bindHost(), http.port())) {
      throw new ConfigException("http.debug.addr", "port " + hostPort.port() + " is already taken by http.addr");
    }
    if (authServer.enabled() && clashes(hostPort, authServer.bindHost(), authServer.port())) {
      throw new ConfigException("http.debug.addr", "port " + hostPort.port()
          + " is already taken by authserver.addr (which defaults to :5001); give one of them another port");
    }
    return new DebugConfig(true, hostPort.host(), hostPort.port(), prometheus, path, storageUsage);
  }

  private static DebugConfig.StorageUsage storageUsage(ConfigReader reader) {
    Object intervalValue = reader.value("http.debug.prometheus.storageusage.interval");
    Duration interval = intervalValue == null ? DebugConfig.StorageUsage.DEFAULT.interval()
        : Durations.parse("http.debug.prometheus.storageusage.interval", intervalValue);
    if (interval.isZero() || interval.isNegative()) {
      throw new ConfigException("http.debug.prometheus.storageusage.interval", "must be longer than zero");
    }
    int repositories = nonNegativeInt(reader, "http.debug.prometheus.storageusage.repositories",
        DebugConfig.StorageUsage.DEFAULT.repositories());
    return new DebugConfig.StorageUsage(interval, repositories);
  }

  static HealthConfig health(ConfigReader reader) {
    requireSections(reader, HEALTH_SECTIONS);
    boolean enabled = reader.bool("health.storagedriver.enabled", true);
    Object intervalValue = reader.value("health.storagedriver.interval");
    Duration interval = intervalValue == null ? DEFAULT_INTERVAL
        : Durations.parse("health.storagedriver.interval", intervalValue);
    if (interval.isNegative()) {
      throw new ConfigException("health.storagedriver.interval", "must not be negative");
    }
    int threshold = nonNegativeInt(reader, "health.storagedriver.threshold", DEFAULT_THRESHOLD);
    // distribution reads an interval of 0 as its default
    return new HealthConfig(new HealthConfig.StorageDriverCheck(enabled,
        interval.isZero() ? DEFAULT_INTERVAL : interval, threshold));
  }

  private static void requireSections(ConfigReader reader, List<String> sections) {
    for (String section : sections) {
      Object value = reader.peek(section);
      if (value != null && !(value instanceof JsonObject)) {
        throw new ConfigException(section, "expected a section of keys, got \"" + value + "\"");
      }
    }
  }

  /** Port 0 picks a free port, so it never clashes; a wildcard host overlaps every address of the same port. */
  private static boolean clashes(HostPort debug, String otherHost, int otherPort) {
    return debug.port() != 0 && debug.port() == otherPort
        && (debug.host().equals(otherHost) || ANY_HOST.contains(debug.host()) || ANY_HOST.contains(otherHost));
  }

  private static int nonNegativeInt(ConfigReader reader, String key, int fallback) {
    Object value = reader.value(key);
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    if (!text.matches("\\d{1,9}")) {
      throw new ConfigException(key, "expected a whole number of 0 or more, got \"" + value + "\"");
    }
    return Integer.parseInt(text);
  }
}
