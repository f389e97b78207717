package io.berth.launcher.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML documents as SnakeYAML reads them (maps, lists, scalars; merge keys resolved), and lenient navigation. */
final class Yml {
  private Yml() {
  }

  /** Every document of the file; a syntax error propagates with SnakeYAML's line and column. */
  static List<Object> documents(Path file) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Object> documents = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file)) {
      for (Object document : yaml.loadAll(reader)) {
        if (document != null) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  static Object get(Object node, String... path) {
    Object current = node;
    for (String key : path) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    return node instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    return node instanceof List<?> list ? (List<Object>) list : List.of();
  }

  static String text(Object node) {
    return node == null ? null : String.valueOf(node);
  }

  static List<String> strings(Object node) {
    return list(node).stream().map(String::valueOf).toList();
  }
}
