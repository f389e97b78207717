package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A map of header names to values ({@code http.headers}, an endpoint's {@code headers}), read as distribution reads
 * it. A value from the environment is YAML there: {@code REGISTRY_HTTP_HEADERS_Access-Control-Allow-Origin=
 * '[http://ui.example.com]'}, as registry UIs document it, is a list of one origin, not a header value with brackets;
 * its items are their text as written ({@code [0042]} is "0042"), as distribution reads them into strings.
 * Names are canonicalised as Go's {@code http.Header} does, so the lower-cased name a variable gives and the name in
 * the file are one header, the later winning.
 */
final class HeaderSection {
  private HeaderSection() {
  }

  static Map<String, List<String>> parse(String key, Object value) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof JsonObject section)) {
      throw new ConfigException(key, "expected a map of header names to values");
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : section.fieldNames()) {
      headers.put(canonical(name), values(key + "." + name, section.getValue(name)));
    }
    return Map.copyOf(headers);
  }

  private static List<String> values(String key, Object value) {
    if (value instanceof JsonArray array) {
      return array.stream().map(String::valueOf).toList();
    }
    if (value == null || value instanceof JsonObject) {
      throw new ConfigException(key, "expected a value or a list of values");
    }
    String text = String.valueOf(value).trim();
    if (!(value instanceof String) || !text.startsWith("[") || !text.endsWith("]")) {
      return List.of(String.valueOf(value));
    }
    try {
      Object list = ConfigYaml.parser().load(text);
      if (list instanceof List<?> items
          && items.stream().noneMatch(item -> item instanceof Map || item instanceof List)) {
        return items.stream().map(String::valueOf).toList();
      }
    } catch (YAMLException e) {
      throw new ConfigException(key, "not a YAML list of values: " + text);
    }
    throw new ConfigException(key, "expected a list of values, got " + text);
  }

  /** {@code access-control-allow-origin} → {@code Access-Control-Allow-Origin}, as Go canonicalises header keys. */
  static String canonical(String name) {
    StringBuilder canonical = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      canonical.append(c < 128 ? (upper ? Character.toUpperCase(c) : Character.toLowerCase(c)) : c);
      upper = c == '-';
    }
    return canonical.toString();
  }
}
