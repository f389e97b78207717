package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Turns the merged configuration into {@link RegistryConfig}, checking each value and naming the key it rejects. */
public final class ConfigParser {
  private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error", "fatal", "panic");
  private static final Set<String> LOG_FORMATTERS = Set.of("text", "json", "logstash");
  private static final String DEFAULT_ROOT = "./data";
  private static final List<String> SECTIONS = List.of("log", "storage", "storage.filesystem", "storage.delete", "storage.redirect", "http",
      "http.headers");

  private ConfigParser() {
  }

  public static RegistryConfig parse(JsonObject json) {
    ConfigReader reader = new ConfigReader(json);
    for (String section : SECTIONS) {
      Object value = reader.peek(section);
      if (value != null && !(value instanceof JsonObject)) {
        throw new ConfigException(section, "expected a section of keys, got \"" + value + "\"");
      }
    }
    String version = reader.string("version", "0.1");
    if (!version.equals("0.1")) {
      throw new ConfigException("version", "unsupported configuration version \"" + version + "\", expected 0.1");
    }
    LogConfig log = log(reader);
    StorageConfig storage = storage(reader);
    HttpConfig http = http(reader);
    AuthConfig auth = AuthConfigParser.auth(reader);
    AuthServerConfig authServer = AuthConfigParser.authServer(reader, storage.rootDirectory());
    NotificationsConfig notifications = NotificationsConfigParser.notifications(reader, storage.rootDirectory());
    DebugConfig debug = MonitoringConfigParser.debug(reader, http, authServer);
    HealthConfig health = HealthConfigParser.health(reader);
    MaintenanceConfig maintenance = MaintenanceConfigParser.parse(reader);
    TlsConfig tls = TlsConfigParser.parse(reader);
    GcConfig gc = GcConfigParser.gc(reader);
    ClusterConfig cluster = ClusterConfigParser.cluster(reader, notifications, authServer);
    return new RegistryConfig(version, log, storage, http, auth, authServer, notifications,
        List.copyOf(UnreadKeys.check(reader)), debug, health, maintenance, tls, gc, cluster);
  }

  private static LogConfig log(ConfigReader reader) {
    String level = reader.string("log.level", reader.string("loglevel", "info")).toLowerCase(Locale.ROOT);
    if (!LOG_LEVELS.contains(level)) {
      throw new ConfigException("log.level", "expected one of error, warn, info, debug, got \"" + level + "\"");
    }
    String formatter = reader.string("log.formatter", "text").toLowerCase(Locale.ROOT);
    if (!LOG_FORMATTERS.contains(formatter)) {
      throw new ConfigException("log.formatter", "expected text, json or logstash, got \"" + formatter + "\"");
    }
    return new LogConfig(level, formatter, logFields(reader));
  }

  /** Single values only: a line's fields are flat, so a nested section could not be written as distribution does. */
  private static Map<String, Object> logFields(ConfigReader reader) {
    Map<String, Object> fields = new LinkedHashMap<>();
    JsonObject section = reader.object("log.fields");
    for (String name : section.fieldNames()) {
      Object value = section.getValue(name);
      if (value == null || value instanceof JsonObject || value instanceof JsonArray) {
        throw new ConfigException("log.fields." + name, "expected a single value, got " + value);
      }
      fields.put(name, WrittenScalar.typed(value));
    }
    return fields;
  }

  private static StorageConfig storage(ConfigReader reader) {
    S3Config s3 = StorageDrivers.check(reader).equals(StorageDrivers.S3) ? S3ConfigParser.parse(reader) : null;
    String root = reader.string("storage.filesystem.rootdirectory", DEFAULT_ROOT);
    if (root.isBlank()) {
      throw new ConfigException("storage.filesystem.rootdirectory", "must not be empty");
    }
    boolean delete = reader.bool("storage.delete.enabled", false);
    return new StorageConfig(Path.of(root), delete, maxThreads(reader), s3, reader.bool("storage.redirect.disable", false));
  }

  /** As distribution's {@code GetLimitFromParameter}: any whole number below the floor counts as the floor. */
  private static int maxThreads(ConfigReader reader) {
    String key = "storage.filesystem.maxthreads";
    Object value = WrittenScalar.typed(reader.value(key));
    if (value == null) {
      return StorageConfig.DEFAULT_MAX_THREADS;
    }
    String text = String.valueOf(value).trim();
    if (!text.matches("-?\\d{1,9}")) {
      throw new ConfigException(key, "expected a whole number, got \"" + value + "\"");
    }
    int threads = Integer.parseInt(text);
    return Math.max(StorageConfig.MIN_MAX_THREADS, threads);
  }

  private static HttpConfig http(ConfigReader reader) {
    HostPort addr = HostPort.parse("http.addr", reader.string("http.addr", ":5000"));
    String net = reader.string("http.net", "tcp");
    if (!net.equals("tcp")) {
      throw new ConfigException("http.net", "only tcp is supported, got \"" + net + "\"");
    }
    Map<String, List<String>> headers = HeaderSection.parse("http.headers", reader.value("http.headers"));
    return new HttpConfig(addr.host(), addr.port(), prefix(reader), publicUrl(reader),
        reader.bool("http.relativeurls", false), headers, drainTimeout(reader),
        ConnectionLimitsParser.parse(reader, "http"));
  }

  private static String prefix(ConfigReader reader) {
    String prefix = reader.string("http.prefix", "");
    if (prefix.isEmpty() || prefix.equals("/")) {
      return "";
    }
    if (!prefix.startsWith("/")) {
      throw new ConfigException("http.prefix", "must start with /, got \"" + prefix + "\"");
    }
    return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  private static String publicUrl(ConfigReader reader) {
    String host = reader.string("http.host", null);
    if (host == null || host.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(host);
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new ConfigException("http.host", "expected an absolute http(s) URL, got \"" + host + "\"");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException("http.host", "not a URL: \"" + host + "\"");
    }
    return host.endsWith("/") ? host.substring(0, host.length() - 1) : host;
  }

  private static Duration drainTimeout(ConfigReader reader) {
    return reader.duration("http.draintimeout", Duration.ofSeconds(30));
  }
}
