package io.berth.common.testing;

import io.berth.common.oci.Sha256;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An OCI image layout as a client wrote it: the digest of each tag and the bytes of every blob. Reading checks that
 * each blob's file name is the digest of its bytes, so a comparison by digest is a comparison of bytes.
 */
public record PulledLayout(Map<String, String> tags, Map<String, byte[]> blobs) {

  public static PulledLayout read(Path dir) throws IOException {
    JsonObject index = new JsonObject(Buffer.buffer(Files.readAllBytes(dir.resolve("index.json"))));
    Map<String, String> tags = new HashMap<>();
    index.getJsonArray("manifests").forEach(entry -> {
      JsonObject descriptor = (JsonObject) entry;
      JsonObject annotations = descriptor.getJsonObject("annotations", new JsonObject());
      tags.put(annotations.getString(OciLayoutWriter.REF_NAME), descriptor.getString("digest"));
    });
    Map<String, byte[]> blobs = new HashMap<>();
    try (Stream<Path> files = Files.list(dir.resolve("blobs/sha256"))) {
      for (Path file : files.toList()) {
        byte[] content = Files.readAllBytes(file);
        String digest = Sha256.of(content).toString();
        if (!digest.equals("sha256:" + file.getFileName())) {
          throw new AssertionError("blob file " + file + " holds content of digest " + digest);
        }
        blobs.put(digest, content);
      }
    }
    return new PulledLayout(Map.copyOf(tags), Map.copyOf(blobs));
  }

  public String digest(String tag) {
    String digest = tags.get(tag);
    if (digest == null) {
      throw new AssertionError("the pulled layout has no tag " + tag + ", only " + tags.keySet());
    }
    return digest;
  }

  public JsonObject json(String digest) {
    return new JsonObject(Buffer.buffer(blobs.get(digest)));
  }
}
