package io.berth.launcher.e2e;

import io.berth.common.oci.Digest;
import io.berth.common.oci.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.SplittableRandom;

/**
 * {@code length} deterministic pseudo-random bytes, made as they are read and hashed as they go, so a test can
 * upload gigabytes without holding them and still knows their digest. Each block is a window of a random pool at a
 * random offset: as unpredictable to the registry as fresh random bytes, at the cost of a copy.
 */
final class GeneratedStream extends InputStream {
  private static final int BLOCK = 256 * 1024;

  private final SplittableRandom random;
  private final long length;
  private final MessageDigest sha256 = Sha256.create();
  private final byte[] pool = new byte[2 * BLOCK];
  private int blockStart;
  private int position = BLOCK;
  private long produced;

  GeneratedStream(long seed, long length) {
    this.random = new SplittableRandom(seed);
    this.length = length;
    random.nextBytes(pool);
  }

  /** The digest of the bytes a stream of this seed and length produces, without keeping them. */
  static String digestOf(long seed, long length) throws IOException {
    GeneratedStream stream = new GeneratedStream(seed, length);
    stream.transferTo(OutputStream.nullOutputStream());
    return stream.digest();
  }

  @Override
  public int read(byte[] target, int offset, int count) {
    if (produced == length) {
      return -1;
    }
    if (position == BLOCK) {
      blockStart = random.nextInt(BLOCK);
      position = 0;
    }
    int n = (int) Math.min(Math.min(count, BLOCK - position), length - produced);
    System.arraycopy(pool, blockStart + position, target, offset, n);
    sha256.update(pool, blockStart + position, n);
    position += n;
    produced += n;
    return n;
  }

  @Override
  public int read() {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  /** The digest of everything produced; only once the stream is exhausted. */
  String digest() {
    if (produced != length) {
      throw new IllegalStateException("only " + produced + " of " + length + " bytes were read");
    }
    return Digest.sha256(sha256.digest()).toString();
  }
}
