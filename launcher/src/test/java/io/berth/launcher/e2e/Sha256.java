package io.berth.launcher.e2e;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** OCI digests of test content. */
final class Sha256 {
  private Sha256() {
  }

  static MessageDigest create() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static String digest(byte[] content) {
    return format(create().digest(content));
  }

  /** {@code sha256:<hex>} of a finished hash. */
  static String format(byte[] hash) {
    return "sha256:" + HexFormat.of().formatHex(hash);
  }

  static String hex(String digest) {
    return digest.substring("sha256:".length());
  }
}
