package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;

/**
 * What becomes of a key no parser read. distribution skips keys it does not know; Berth warns about most of them too,
 * but where a skipped key could change where images go, who may push or pull, or what the registry is, it refuses to
 * start, naming the key: a misspelled {@code rootdirectory} must not put images in the working directory, and a
 * {@code proxy} section must not start an empty writable registry in place of a mirror. The rule works on what the
 * parsers read, so a key a parser reads is known without being listed here.
 */
final class UnreadKeys {
  /** Sections where an unread key stops startup, with what a key skipped there could change. */
  private static final Map<String, String> REFUSING = Map.of(
      "storage", "where and how images are stored",
      "maintenance", "whether the registry takes pushes and when uploads are purged",
      "auth", "who may push and pull",
      "authserver", "who is given tokens, and for what",
      "http.tls", "whether connections are encrypted, and whose certificates are trusted",
      "cluster", "which processes form one registry");
  /** Keys of distribution inside refusing sections that only tune what Berth does not do: they warn. */
  private static final List<String> TUNING = List.of("storage.cache", "storage.redirect", "storage.tag",
      "auth.token.autoredirectpath");
  /** distribution's top-level sections; any other top-level key Berth does not read is refused as unknown. */
  private static final Set<String> DISTRIBUTION_SECTIONS = Set.of("version", "log", "loglevel", "storage", "auth",
      "middleware", "reporting", "http", "notifications", "redis", "health", "catalog", "proxy", "compatibility",
      "validation", "policy");

  private UnreadKeys() {
  }

  /** The unread keys to warn about; throws for the first one that must stop startup. */
  static List<String> check(ConfigReader reader) {
    List<String> warned = new ArrayList<>();
    for (String key : reader.unread()) {
      if (isTuning(key) || setsNothing(reader, key)) {
        warned.add(key);
      } else if (under(key, "proxy")) {
        throw new ConfigException(firstLeaf(reader, key), "Berth cannot be a pull-through cache (proxy) yet: it "
            + "would start as an empty registry that takes pushes, not as a mirror; remove the proxy section");
      } else if (refusingSection(key) != null) {
        throw refusal(reader, key, refusingSection(key));
      } else if (!DISTRIBUTION_SECTIONS.contains(topLevel(key))) {
        throw new ConfigException(firstLeaf(reader, key), "unknown section " + topLevel(key) + " (neither "
            + "distribution's nor Berth's); a misspelled section would leave its settings at their defaults");
      } else {
        warned.add(key);
      }
    }
    return warned;
  }

  private static ConfigException refusal(ConfigReader reader, String key, String section) {
    String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : key;
    SortedSet<String> known = reader.readBelow(parent);
    return new ConfigException(firstLeaf(reader, key), "Berth does not act on this key, and one it skips under "
        + section + " could change " + REFUSING.get(section) + "; correct or remove it"
        + (known.isEmpty() ? "" : " (keys Berth reads under " + parent + ": " + String.join(", ", known) + ")"));
  }

  /** A key without a value or an empty section configures nothing, whatever its name. */
  private static boolean setsNothing(ConfigReader reader, String key) {
    Object value = reader.peek(key);
    return value instanceof JsonObject section ? section.isEmpty() : value == null && !key.contains("[");
  }

  private static boolean isTuning(String key) {
    return TUNING.stream().anyMatch(tuning -> under(key, tuning));
  }

  private static String refusingSection(String key) {
    return REFUSING.keySet().stream().filter(section -> under(key, section)).findFirst().orElse(null);
  }

  private static boolean under(String key, String section) {
    return key.equals(section) || key.startsWith(section + ".") || key.startsWith(section + "[");
  }

  private static String topLevel(String key) {
    return key.split("[.\\[]", 2)[0];
  }

  /** An unread section is named by its first key, so the message points at a line of the file. */
  private static String firstLeaf(ConfigReader reader, String key) {
    String leaf = key;
    Object value = reader.peek(key);
    while (value instanceof JsonObject section && !section.isEmpty()) {
      String name = section.fieldNames().iterator().next();
      leaf = leaf + "." + name;
      value = section.getValue(name);
    }
    return leaf;
  }
}
