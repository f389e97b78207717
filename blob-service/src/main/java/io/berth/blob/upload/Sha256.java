package io.berth.blob.upload;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 over Vert.x buffers without copying them into byte arrays first. */
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

  static void update(MessageDigest digest, Buffer chunk) {
    for (ByteBuffer part : ((BufferInternal) chunk).getByteBuf().nioBuffers()) {
      digest.update(part);
    }
  }

  /** The digest so far, leaving the running state untouched for further chunks. */
  static byte[] peek(MessageDigest digest) {
    try {
      return ((MessageDigest) digest.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 state cannot be cloned", e);
    }
  }
}
