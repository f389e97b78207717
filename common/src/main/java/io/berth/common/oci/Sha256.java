package io.berth.common.oci;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256, the registry's canonical digest algorithm (an upload's running digest, a manifest pushed by tag), over byte
 * arrays and Vert.x buffers; content a client names by another algorithm is hashed through {@link ContentDigest}.
 */
public final class Sha256 {
  private Sha256() {
  }

  public static MessageDigest create() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public static Digest of(byte[] content) {
    return Digest.sha256(create().digest(content));
  }

  public static Digest of(Buffer content) {
    MessageDigest digest = create();
    update(digest, content);
    return Digest.sha256(digest.digest());
  }

  /** Feeds a buffer without copying it into a byte array first (to a digest of any algorithm). */
  public static void update(MessageDigest digest, Buffer chunk) {
    for (ByteBuffer part : ((BufferInternal) chunk).getByteBuf().nioBuffers()) {
      digest.update(part);
    }
  }

  /** The digest so far, leaving the running state untouched for further chunks. */
  public static Digest peek(MessageDigest digest) {
    try {
      return Digest.sha256(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 state cannot be cloned", e);
    }
  }
}
