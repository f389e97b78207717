package io.berth.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** A one-layer image as an OCI image layout directory (oci-layout, index.json, blobs), for skopeo to push. */
record OciLayout(Path directory, String tag, String manifestDigest, String layerDigest) {
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  static OciLayout write(Path directory, String tag, String fileContent) throws IOException {
    byte[] tar = tar("hello.txt", fileContent.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(tar);
    }
    byte[] layer = gzipped.toByteArray();
    byte[] config = new JsonObject().put("architecture", "amd64").put("os", "linux")
        .put("config", new JsonObject())
        .put("rootfs", new JsonObject().put("type", "layers").put("diff_ids", new JsonArray().add(digest(tar))))
        .encode().getBytes(StandardCharsets.UTF_8);
    byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", MANIFEST)
        .put("config", descriptor("application/vnd.oci.image.config.v1+json", config))
        .put("layers", new JsonArray().add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer)))
        .encode().getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(directory.resolve("blobs/sha256"));
    for (byte[] blob : new byte[][] {layer, config, manifest}) {
      Files.write(directory.resolve("blobs/sha256").resolve(digest(blob).substring("sha256:".length())), blob);
    }
    Files.writeString(directory.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(directory.resolve("index.json"), new JsonObject().put("schemaVersion", 2)
        .put("manifests", new JsonArray().add(descriptor(MANIFEST, manifest)
            .put("annotations", new JsonObject().put("org.opencontainers.image.ref.name", tag)))).encode());
    return new OciLayout(directory, tag, digest(manifest), digest(layer));
  }

  String reference() {
    return "oci:" + directory + ":" + tag;
  }

  private static JsonObject descriptor(String mediaType, byte[] content) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest(content)).put("size", content.length);
  }

  static String digest(byte[] content) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A ustar archive of one regular file: a 512-byte header, the data padded to 512, two zero blocks. */
  private static byte[] tar(String name, byte[] data) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", data.length));
    put(header, 136, String.format("%011o", 0));
    Arrays.fill(header, 148, 156, (byte) ' ');
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    int checksum = 0;
    for (byte b : header) {
      checksum += b & 0xff;
    }
    put(header, 148, String.format("%06o", checksum));
    header[154] = 0;
    int padded = (data.length + 511) / 512 * 512;
    byte[] archive = new byte[512 + padded + 1024];
    System.arraycopy(header, 0, archive, 0, 512);
    System.arraycopy(data, 0, archive, 512, data.length);
    return archive;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
