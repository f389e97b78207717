package io.berth.common.testing;

import io.berth.common.oci.Digest;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Reproducible test content and its digest. */
public final class TestBytes {
  private TestBytes() {
  }

  public static Buffer random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  public static Digest sha256(Buffer content) {
    return Digest.sha256(sha256().digest(content.getBytes()));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
