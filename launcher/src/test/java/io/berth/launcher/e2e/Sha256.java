package io.berth.launcher.e2e;

import io.berth.common.oci.Digest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 of test content, in the {@code sha256:<hex>} form registries and layouts use. */
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

  static String format(byte[] hash) {
    return Digest.sha256(hash).toString();
  }

  static String hex(String digest) {
    return Digest.parse(digest).hex();
  }
}
