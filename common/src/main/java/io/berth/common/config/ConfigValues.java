package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reading of lists, durations and required values every parser uses, so that a key means the same in YAML,
 * in an environment variable and in every section. Each refusal names the key.
 */
final class ConfigValues {
  private ConfigValues() {
  }

  /**
   * A YAML sequence of values, or one text of comma-separated values (as an environment variable gives a list);
   * each item trimmed. An empty item is refused, except one trailing comma; a blank text is no items.
   */
  static List<String> list(String key, Object value) {
    if (value == null) {
      return List.of();
    }
    List<String> items = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item == null || item instanceof JsonObject || item instanceof JsonArray) {
          throw new ConfigException(key, "expected a list of values, got " + array);
        }
        items.add(item(key, String.valueOf(item)));
      }
      return List.copyOf(items);
    }
    if (value instanceof JsonObject) {
      throw new ConfigException(key, "expected a list or comma-separated values, got " + value);
    }
    String text = String.valueOf(value).trim();
    if (text.isEmpty()) {
      return List.of();
    }
    if (text.endsWith(",")) {
      text = text.substring(0, text.length() - 1);
    }
    for (String item : text.split(",", -1)) {
      items.add(item(key, item));
    }
    return List.copyOf(items);
  }

  private static String item(String key, String item) {
    String trimmed = item.trim();
    if (trimmed.isEmpty()) {
      throw new ConfigException(key, "empty item in the list");
    }
    return trimmed;
  }

  /** A single value that must be there and not blank. */
  static String required(String key, Object value) {
    if (value == null || value instanceof JsonObject || value instanceof JsonArray || String.valueOf(value).isBlank()) {
      throw new ConfigException(key, "required");
    }
    return String.valueOf(value);
  }

  /** A duration as distribution writes it ({@link Durations}), or {@code fallback} when the key is not set. */
  static Duration duration(String key, Object value, Duration fallback) {
    return value == null ? fallback : Durations.parse(key, value);
  }
}
