package io.berth.launcher.gc;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads a data directory the way a checker outside the registry would, independent of the collector's code: which
 * blobs are stored, and which ones the stored manifests (every revision of every repository) reference.
 */
final class StoredBlobs {
  private final Path v2;

  StoredBlobs(Path root) {
    this.v2 = root.resolve("docker/registry/v2");
  }

  Set<String> stored() throws IOException {
    Set<String> digests = new TreeSet<>();
    Path blobs = v2.resolve("blobs/sha256");
    if (Files.isDirectory(blobs)) {
      try (Stream<Path> walk = Files.walk(blobs)) {
        walk.filter(path -> path.getFileName().toString().equals("data"))
            .forEach(data -> digests.add("sha256:" + data.getParent().getFileName()));
      }
    }
    return digests;
  }

  /** Every manifest that is a revision of some repository, its children, and every blob they name. */
  Set<String> referenced() throws IOException {
    Deque<String> manifests = new ArrayDeque<>();
    Path repositories = v2.resolve("repositories");
    if (Files.isDirectory(repositories)) {
      try (Stream<Path> walk = Files.walk(repositories)) {
        walk.filter(path -> path.getFileName().toString().equals("link")
                && path.getParent().getParent().getParent().getFileName().toString().equals("revisions"))
            .forEach(link -> manifests.add("sha256:" + link.getParent().getFileName()));
      }
    }
    Set<String> referenced = new TreeSet<>();
    while (!manifests.isEmpty()) {
      String manifest = manifests.pop();
      if (!referenced.add(manifest)) {
        continue;
      }
      JsonObject json = manifest(manifest);
      if (json == null) {
        continue;
      }
      if (json.getJsonObject("config") != null) {
        referenced.add(json.getJsonObject("config").getString("digest"));
      }
      for (String field : new String[] {"layers", "manifests"}) {
        JsonArray descriptors = json.getJsonArray(field, new JsonArray());
        for (Object descriptor : descriptors) {
          String digest = ((JsonObject) descriptor).getString("digest");
          if (field.equals("manifests")) {
            manifests.add(digest);
          } else {
            referenced.add(digest);
          }
        }
      }
    }
    return referenced;
  }

  /** Referenced blobs that are not stored: what a collection must never cause. */
  Set<String> missing() throws IOException {
    Set<String> missing = referenced();
    missing.removeAll(stored());
    return missing;
  }

  /** Stored blobs that nothing references: what a collection should reclaim. */
  Set<String> unreferenced() throws IOException {
    Set<String> unreferenced = stored();
    unreferenced.removeAll(referenced());
    return unreferenced;
  }

  private JsonObject manifest(String digest) throws IOException {
    Path data = v2.resolve("blobs/sha256/" + digest.substring(7, 9) + "/" + digest.substring(7) + "/data");
    try {
      return new JsonObject(Buffer.buffer(Files.readAllBytes(data)));
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
