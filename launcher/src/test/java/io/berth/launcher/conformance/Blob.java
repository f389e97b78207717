package io.berth.launcher.conformance;

import io.berth.common.oci.Sha256;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Content to push, with its digest (sha256 unless asked for sha512) computed here, independently of the registry. */
record Blob(byte[] bytes, String digest) {
  static final String EMPTY_JSON_MEDIA_TYPE = "application/vnd.oci.empty.v1+json";
  /** The OCI empty descriptor's content, {@code {}}. */
  static final Blob EMPTY_JSON = of("{}");
  /** A well-formed digest of nothing the suite pushes. */
  static final String UNKNOWN_DIGEST = "sha256:" + "0".repeat(64);

  static Blob of(byte[] bytes) {
    return new Blob(bytes, sha256(bytes));
  }

  static Blob of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  static Blob random(int size) {
    byte[] bytes = new byte[size];
    ThreadLocalRandom.current().nextBytes(bytes);
    return of(bytes);
  }

  /** The same bytes, named by their sha512 digest. */
  Blob sha512() {
    return new Blob(bytes, sha512(bytes));
  }

  static String sha256(byte[] bytes) {
    return Sha256.of(bytes).toString();
  }

  static String sha512(byte[] bytes) {
    try {
      return "sha512:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  int size() {
    return bytes.length;
  }

  JsonObject descriptor(String mediaType) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest).put("size", size());
  }
}
