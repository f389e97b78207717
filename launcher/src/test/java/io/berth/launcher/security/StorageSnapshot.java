package io.berth.launcher.security;

import io.berth.common.testing.TestBytes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every directory and file under a storage root: each file by its size and SHA-256, so any change shows. */
record StorageSnapshot(SortedMap<String, String> entries) {

  static StorageSnapshot of(Path root) throws IOException {
    SortedMap<String, String> entries = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.toList()) {
        String name = root.relativize(path).toString();
        entries.put(name, Files.isDirectory(path) ? "directory" : "file " + Files.size(path) + " " + sha256(path));
      }
    }
    return new StorageSnapshot(entries);
  }

  /** Storage files in these tests are small: read whole. */
  private static String sha256(Path file) throws IOException {
    return HexFormat.of().formatHex(TestBytes.sha256().digest(Files.readAllBytes(file)));
  }

  /** What differs from {@code before}, one line per entry added, removed or changed; empty when nothing did. */
  List<String> changesSince(StorageSnapshot before) {
    List<String> changes = new ArrayList<>();
    before.entries.forEach((name, was) -> {
      String now = entries.get(name);
      if (now == null) {
        changes.add("removed " + name + " (" + was + ")");
      } else if (!now.equals(was)) {
        changes.add("changed " + name + " (" + was + " -> " + now + ")");
      }
    });
    entries.forEach((name, now) -> {
      if (!before.entries.containsKey(name)) {
        changes.add("added " + name + " (" + now + ")");
      }
    });
    return changes;
  }
}
