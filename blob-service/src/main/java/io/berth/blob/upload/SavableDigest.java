package io.berth.blob.upload;

import io.berth.common.oci.Digest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.Pack;

/**
 * Bouncy Castle's SHA-256, whose state is saved and restored in Go's encoding ({@code crypto/sha256}'s
 * {@code MarshalBinary}), the form distribution stores under {@code _uploads/<id>/hashstates/sha256/<offset>}, where
 * Berth stores it too: an upload is resumed in any process without reading its bytes back.
 *
 * <p>Go's encoding: {@code "sha\x03"}, the eight state words (big-endian), the 64-byte block buffer (its first
 * {@code length % 64} bytes are the pending input, the rest zero), the length in bytes (big-endian uint64); 108 bytes.
 * Bouncy Castle's ({@code getEncodedState}): the pending bytes of the current word and their count, the length in
 * bytes, the eight state words at offset 16, the count of pending whole words at 48 and those words from 52.
 */
final class SavableDigest implements RunningDigest {
  private static final byte[] MAGIC = {'s', 'h', 'a', 3};
  private static final int GO_STATE_SIZE = 4 + 32 + 64 + 8;
  /** Bouncy Castle's last byte of an encoded state: what the digest serves (always the default here). */
  private static final byte PURPOSE = lastByte(new SHA256Digest().getEncodedState());

  private final SHA256Digest digest;

  SavableDigest() {
    this(new SHA256Digest());
  }

  private SavableDigest(SHA256Digest digest) {
    this.digest = digest;
  }

  @Override
  public void update(Buffer chunk) {
    for (ByteBuffer part : ((BufferInternal) chunk).getByteBuf().nioBuffers()) {
      if (part.hasArray()) {
        digest.update(part.array(), part.arrayOffset() + part.position(), part.remaining());
      } else {
        byte[] copy = new byte[part.remaining()];
        part.get(copy);
        digest.update(copy, 0, copy.length);
      }
    }
  }

  @Override
  public Digest peek() {
    byte[] out = new byte[32];
    new SHA256Digest(digest).doFinal(out, 0);
    return Digest.sha256(out);
  }

  @Override
  public byte[] state() {
    byte[] bc = digest.getEncodedState();
    long length = Pack.bigEndianToLong(bc, 8);
    int pendingBytes = (int) (length % 64);
    int wholeWords = Pack.bigEndianToInt(bc, 48);
    int partialBytes = Pack.bigEndianToInt(bc, 4);
    byte[] go = new byte[GO_STATE_SIZE];
    System.arraycopy(MAGIC, 0, go, 0, 4);
    System.arraycopy(bc, 16, go, 4, 32);
    System.arraycopy(bc, 52, go, 36, wholeWords * 4);
    System.arraycopy(bc, 0, go, 36 + wholeWords * 4, partialBytes);
    if (wholeWords * 4 + partialBytes != pendingBytes) {
      throw new IllegalStateException("SHA-256 state holds " + (wholeWords * 4 + partialBytes)
          + " pending bytes, expected " + pendingBytes);
    }
    Pack.longToBigEndian(length, go, 100);
    return go;
  }

  /**
   * A digest in the state Go's encoding describes, after exactly {@code size} bytes; fails with an
   * IllegalArgumentException on anything else (a state saved at another offset would verify other bytes).
   */
  static SavableDigest restore(byte[] go, long size) {
    if (go.length != GO_STATE_SIZE || go[0] != MAGIC[0] || go[1] != MAGIC[1] || go[2] != MAGIC[2]
        || go[3] != MAGIC[3]) {
      throw new IllegalArgumentException("not a saved SHA-256 state (" + go.length + " bytes)");
    }
    long length = Pack.bigEndianToLong(go, 100);
    if (length < 0 || length != size) {
      throw new IllegalArgumentException("a SHA-256 state after " + length + " bytes, not " + size);
    }
    int pendingBytes = (int) (length % 64);
    int wholeWords = pendingBytes / 4;
    int partialBytes = pendingBytes % 4;
    byte[] bc = new byte[52 + wholeWords * 4 + 1];
    System.arraycopy(go, 36 + wholeWords * 4, bc, 0, partialBytes);
    Pack.intToBigEndian(partialBytes, bc, 4);
    Pack.longToBigEndian(length, bc, 8);
    System.arraycopy(go, 4, bc, 16, 32);
    Pack.intToBigEndian(wholeWords, bc, 48);
    System.arraycopy(go, 36, bc, 52, wholeWords * 4);
    bc[bc.length - 1] = PURPOSE;
    return new SavableDigest(new SHA256Digest(bc));
  }

  private static byte lastByte(byte[] bytes) {
    return bytes[bytes.length - 1];
  }
}
