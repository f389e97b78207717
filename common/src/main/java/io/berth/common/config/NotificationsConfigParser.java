package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses distribution's {@code notifications} section with its defaults ({@code notifications/endpoint.go}: timeout
 * 1s, threshold 10, backoff 1s, a zero or negative value meaning the default), and Berth's additions.
 */
final class NotificationsConfigParser {
  static final int DEFAULT_MAX_EVENTS = 100_000;
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  private static final int DEFAULT_THRESHOLD = 10;
  private static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(1);
  private static final Set<String> ENDPOINT_KEYS = Set.of("name", "disabled", "url", "headers", "timeout",
      "threshold", "backoff", "maxbackoff", "ignoredmediatypes", "ignore", "format", "secret");
  private static final Set<String> IGNORE_KEYS = Set.of("mediatypes", "actions");

  private NotificationsConfigParser() {
  }

  static NotificationsConfig notifications(ConfigReader reader, Path storageRoot) {
    Object section = reader.peek("notifications");
    if (section == null) {
      return NotificationsConfig.none(storageRoot);
    }
    if (!(section instanceof JsonObject)) {
      throw new ConfigException("notifications", "expected a section of keys, got \"" + section + "\"");
    }
    List<NotificationsConfig.Endpoint> endpoints = endpoints(reader);
    boolean includeReferences = reader.bool("notifications.events.includereferences", false);
    return new NotificationsConfig(endpoints, includeReferences, queue(reader, storageRoot), status(reader));
  }

  private static List<NotificationsConfig.Endpoint> endpoints(ConfigReader reader) {
    Object value = reader.value("notifications.endpoints");
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray list)) {
      throw new ConfigException("notifications.endpoints", "expected a list of endpoints");
    }
    List<NotificationsConfig.Endpoint> endpoints = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "notifications.endpoints[" + i + "]";
      if (!(list.getValue(i) instanceof JsonObject entry)) {
        throw new ConfigException(key, "expected an endpoint with name and url");
      }
      NotificationsConfig.Endpoint endpoint = endpoint(reader, key, entry);
      if (!names.add(endpoint.name())) {
        throw new ConfigException(key + ".name", "\"" + endpoint.name() + "\" names another endpoint too");
      }
      endpoints.add(endpoint);
    }
    return List.copyOf(endpoints);
  }

  private static NotificationsConfig.Endpoint endpoint(ConfigReader reader, String key, JsonObject entry) {
    for (String field : entry.fieldNames()) {
      if (!ENDPOINT_KEYS.contains(field)) {
        reader.notActedOn(key + "." + field);
      }
    }
    JsonObject ignore = entry.getValue("ignore") == null ? new JsonObject() : section(key + ".ignore", entry, "ignore");
    for (String field : ignore.fieldNames()) {
      if (!IGNORE_KEYS.contains(field)) {
        reader.notActedOn(key + ".ignore." + field);
      }
    }
    String name = ConfigValues.required(key + ".name", entry.getValue("name"));
    URI url = url(key + ".url", ConfigValues.required(key + ".url", entry.getValue("url")));
    Duration backoff = positiveDuration(key + ".backoff", entry.getValue("backoff"), DEFAULT_BACKOFF);
    Duration maxBackoff = positiveDuration(key + ".maxbackoff", entry.getValue("maxbackoff"), backoff);
    if (maxBackoff.compareTo(backoff) < 0) {
      throw new ConfigException(key + ".maxbackoff", "must not be shorter than backoff (" + backoff + ")");
    }
    Set<String> mediaTypes = new LinkedHashSet<>(ConfigValues.list(key + ".ignore.mediatypes", ignore.getValue("mediatypes")));
    mediaTypes.addAll(ConfigValues.list(key + ".ignoredmediatypes", entry.getValue("ignoredmediatypes")));
    Object secret = entry.getValue("secret");
    if (secret != null && String.valueOf(secret).isEmpty()) {
      throw new ConfigException(key + ".secret", "must not be empty; leave it out for unsigned requests");
    }
    return new NotificationsConfig.Endpoint(name, url, HeaderSection.parse(key + ".headers", entry.getValue("headers")),
        positiveDuration(key + ".timeout", entry.getValue("timeout"), DEFAULT_TIMEOUT),
        threshold(key + ".threshold", entry.getValue("threshold")), backoff, maxBackoff,
        Set.copyOf(mediaTypes), Set.copyOf(ConfigValues.list(key + ".ignore.actions", ignore.getValue("actions"))),
        ConfigReader.toBoolean(key + ".disabled", entry.getValue("disabled"), false), format(key + ".format", entry.getValue("format")),
        secret == null ? null : String.valueOf(secret));
  }

  private static NotificationsConfig.Queue queue(ConfigReader reader, Path storageRoot) {
    Object value = reader.value("notifications.queue.maxevents");
    int maxEvents = DEFAULT_MAX_EVENTS;
    if (value != null) {
      maxEvents = integer("notifications.queue.maxevents", value);
      if (maxEvents < 1) {
        throw new ConfigException("notifications.queue.maxevents", "must be at least 1, got " + maxEvents);
      }
    }
    String directory = reader.string("notifications.queue.directory", null);
    if (directory != null && directory.isBlank()) {
      throw new ConfigException("notifications.queue.directory", "must not be empty");
    }
    return new NotificationsConfig.Queue(maxEvents,
        directory == null ? storageRoot.resolve("notifications") : Path.of(directory));
  }

  private static NotificationsConfig.Status status(ConfigReader reader) {
    String addr = reader.string("notifications.status.addr", null);
    if (addr == null || addr.isBlank()) {
      return new NotificationsConfig.Status(false, "0.0.0.0", 0);
    }
    HostPort hostPort = HostPort.parse("notifications.status.addr", addr);
    return new NotificationsConfig.Status(true, hostPort.host(), hostPort.port());
  }

  private static JsonObject section(String key, JsonObject parent, String field) {
    if (parent.getValue(field) instanceof JsonObject object) {
      return object;
    }
    throw new ConfigException(key, "expected a section of keys, got \"" + parent.getValue(field) + "\"");
  }


  static URI url(String key, String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(key, "expected an absolute http(s) URL, got \"" + text + "\"");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "not a URL: \"" + text + "\"");
    }
  }

  private static Duration positiveDuration(String key, Object value, Duration fallback) {
    Duration duration = ConfigValues.duration(key, value, fallback);
    return duration.isNegative() || duration.isZero() ? fallback : duration;
  }

  private static int threshold(String key, Object value) {
    if (value == null) {
      return DEFAULT_THRESHOLD;
    }
    int threshold = integer(key, value);
    return threshold <= 0 ? DEFAULT_THRESHOLD : threshold;
  }

  private static int integer(String key, Object written) {
    Object value = WrittenScalar.typed(written);
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      if (Math.abs(number.doubleValue()) > Integer.MAX_VALUE) {
        throw new ConfigException(key, "expected a whole number up to " + Integer.MAX_VALUE + ", got " + value);
      }
      return number.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "expected a whole number, got \"" + value + "\"");
    }
  }

  private static NotificationsConfig.Format format(String key, Object value) {
    String text = value == null ? "v1" : String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "v1" -> NotificationsConfig.Format.V1;
      case "v2" -> NotificationsConfig.Format.V2;
      case "cloudevents" -> NotificationsConfig.Format.CLOUDEVENTS;
      default -> throw new ConfigException(key, "expected v1, v2 or cloudevents, got \"" + value + "\"");
    };
  }

}
