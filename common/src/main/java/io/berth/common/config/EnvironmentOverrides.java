package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * distribution's environment overrides: {@code REGISTRY_HTTP_ADDR} sets {@code http.addr}, each underscore a level
 * of nesting, a number an index into a list ({@code REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL}).
 */
public final class EnvironmentOverrides {
  static final String PREFIX = "REGISTRY_";
  /** Names the config file, as in distribution; not a key of the file itself. */
  public static final String CONFIGURATION_PATH = "REGISTRY_CONFIGURATION_PATH";
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  /** A list index: more entries than this are no configuration, and each would be made, empty, before any check. */
  private static final int MAX_INDEX = 9_999;
  private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");

  private EnvironmentOverrides() {
  }

  public static JsonObject apply(JsonObject config, Map<String, String> environment) {
    new TreeMap<>(environment).forEach((name, value) -> {
      if (name.startsWith(PREFIX) && !name.equals(CONFIGURATION_PATH) && name.length() > PREFIX.length()) {
        String[] path = name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).split("_");
        checkIndexes(name, path);
        set(config, path, written(value));
      }
    });
    return config;
  }

  /** Every number in the path is an index into a list (see {@link #set}), and must be one a list can have. */
  private static void checkIndexes(String name, String[] path) {
    for (String part : path) {
      if (INTEGER.matcher(part).matches() && (part.startsWith("-") || part.length() > 4
          || Integer.parseInt(part) > MAX_INDEX)) {
        throw new ConfigException(name, "list index " + part + " is not one from 0 to " + MAX_INDEX);
      }
    }
  }

  /** The variable's text, with the type {@link #scalar} gives it when that is a number or a boolean. */
  private static Object written(String value) {
    Object typed = scalar(value);
    return typed instanceof String ? value : new WrittenScalar(value, typed);
  }

  /**
   * Values are typed as YAML would type a plain scalar, but only booleans and numbers: "1:30" stays text, and so do
   * digits no {@code long} holds (a secret, say). This is what a number or boolean key reads; a text key reads the
   * variable as written ({@link #written}).
   */
  static Object scalar(String value) {
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(trimmed);
    }
    if (INTEGER.matcher(trimmed).matches()) {
      try {
        return Long.parseLong(trimmed);
      } catch (NumberFormatException e) {
        return value;
      }
    }
    if (DECIMAL.matcher(trimmed).matches()) {
      return Double.parseDouble(trimmed);
    }
    return value;
  }

  private static void set(JsonObject root, String[] path, Object value) {
    Object container = root;
    for (int i = 0; i < path.length - 1; i++) {
      container = child(container, path[i], INTEGER.matcher(path[i + 1]).matches());
    }
    put(container, path[path.length - 1], value);
  }

  private static Object child(Object container, String key, boolean wantArray) {
    Object existing = get(container, key);
    if (wantArray ? existing instanceof JsonArray : existing instanceof JsonObject) {
      return existing;
    }
    Object created = wantArray ? new JsonArray() : new JsonObject();
    put(container, key, created);
    return created;
  }

  private static Object get(Object container, String key) {
    if (container instanceof JsonObject object) {
      return object.getValue(key);
    }
    JsonArray array = (JsonArray) container;
    int index = Integer.parseInt(key);
    return index < array.size() ? array.getValue(index) : null;
  }

  private static void put(Object container, String key, Object value) {
    if (container instanceof JsonObject object) {
      object.put(key, value);
      return;
    }
    JsonArray array = (JsonArray) container;
    int index = Integer.parseInt(key);
    while (array.size() <= index) {
      array.add(new JsonObject());
    }
    array.set(index, value);
  }
}
