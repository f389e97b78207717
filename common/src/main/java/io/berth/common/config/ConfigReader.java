package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Typed reads of dotted keys from the merged configuration. It remembers every key it was asked about, so the
 * keys nobody asked about can be reported as ignored instead of silently doing nothing.
 */
final class ConfigReader {
  private final JsonObject root;
  private final Set<String> consumed = new HashSet<>();
  private final List<String> notActedOn = new ArrayList<>();

  ConfigReader(JsonObject root) {
    this.root = root;
  }

  Object value(String key) {
    consumed.add(key);
    return peek(key);
  }

  /** Looks at a value without counting it as read: for checks over a section whose keys are read one by one. */
  Object peek(String key) {
    Object current = root;
    for (String part : key.split("\\.")) {
      if (!(current instanceof JsonObject object)) {
        return null;
      }
      current = object.getValue(part);
    }
    return current;
  }

  String string(String key, String fallback) {
    Object value = value(key);
    if (value == null) {
      return fallback;
    }
    if (value instanceof JsonObject || value instanceof JsonArray) {
      throw new ConfigException(key, "expected a single value, got " + value);
    }
    return String.valueOf(value);
  }

  /** See {@link ConfigValues#list}. */
  List<String> list(String key) {
    return ConfigValues.list(key, value(key));
  }

  /** See {@link ConfigValues#required}. */
  String required(String key) {
    return ConfigValues.required(key, value(key));
  }

  /** See {@link ConfigValues#duration}. */
  Duration duration(String key, Duration fallback) {
    return ConfigValues.duration(key, value(key), fallback);
  }

  boolean bool(String key, boolean fallback) {
    return toBoolean(key, value(key), fallback);
  }

  /** A YAML boolean, or the text true/false as environment variables give it; anything else names the key. */
  static boolean toBoolean(String key, Object value, boolean fallback) {
    if (value == null) {
      return fallback;
    }
    if (WrittenScalar.typed(value) instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(value).trim();
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new ConfigException(key, "expected true or false, got \"" + value + "\"");
  }

  /** A key inside a list entry that a parser found but does not act on, reported with the unread keys. */
  void notActedOn(String key) {
    notActedOn.add(key);
  }

  JsonObject object(String key) {
    Object value = value(key);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new ConfigException(key, "expected a section of keys, got \"" + value + "\"");
  }

  /** The names of the keys directly below {@code section} that some read asked for, or a key below them. */
  SortedSet<String> readBelow(String section) {
    SortedSet<String> names = new TreeSet<>();
    for (String read : consumed) {
      if (read.startsWith(section + ".")) {
        names.add(read.substring(section.length() + 1).split("\\.")[0]);
      }
    }
    return names;
  }

  /** Every leaf key under the root that no read asked for (a section counts as read when its parent was). */
  List<String> unread() {
    List<String> unread = new ArrayList<>();
    collect("", root, unread);
    unread.addAll(notActedOn);
    return unread;
  }

  private void collect(String prefix, JsonObject object, List<String> unread) {
    for (String name : object.fieldNames()) {
      String key = prefix.isEmpty() ? name : prefix + "." + name;
      Object value = object.getValue(name);
      boolean anyBelowRead = consumed.stream().anyMatch(read -> read.startsWith(key + "."));
      // A section read whole (to look at its keys) may still hold keys nobody acts on: descend when keys below it were read.
      if (value instanceof JsonObject child && anyBelowRead) {
        collect(key, child, unread);
      } else if (!consumed.contains(key)) {
        unread.add(key);
      }
    }
  }
}
