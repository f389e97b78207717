package io.berth.launcher.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * A request body that hands over all of {@code source}, then neither ends nor fails until released: an upload kept
 * in flight for as long as a test needs. {@link #stalled()} completes once every byte was read.
 */
final class StallingStream extends InputStream {
  private final InputStream source;
  private final CompletableFuture<Void> stalled = new CompletableFuture<>();
  private final CountDownLatch released = new CountDownLatch(1);

  StallingStream(InputStream source) {
    this.source = source;
  }

  CompletableFuture<Void> stalled() {
    return stalled;
  }

  /** Lets the reader go on; it then fails, so the body never ends well. */
  void release() {
    released.countDown();
  }

  @Override
  public int read(byte[] target, int offset, int count) throws IOException {
    int n = source.read(target, offset, count);
    if (n >= 0) {
      return n;
    }
    stalled.complete(null);
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IOException("stalled body released");
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }
}
