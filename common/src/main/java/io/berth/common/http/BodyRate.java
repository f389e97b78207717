package io.berth.common.http;

/**
 * Whether a request body arrives at a minimum rate: bytes are counted over windows of time spent waiting for the
 * client, so time during which the server itself was not reading (back-pressure from a slow consumer) never makes a
 * client look slow. A client that sends its bytes in bursts passes as long as each window averages the rate; a large
 * body sent at any steady speed above the rate is never cut, however long it takes.
 */
final class BodyRate {
  private final long minBytesPerSecond;
  private final long windowNanos;
  private long waitedNanos;
  private long bytes;

  BodyRate(long minBytesPerSecond, long windowNanos) {
    this.minBytesPerSecond = minBytesPerSecond;
    this.windowNanos = windowNanos;
  }

  void received(long count) {
    bytes += count;
  }

  /** Adds time spent waiting for the client; true when a whole window has passed below the rate. */
  boolean waited(long nanos) {
    waitedNanos += nanos;
    if (waitedNanos < windowNanos) {
      return false;
    }
    boolean tooSlow = bytes * 1e9 < minBytesPerSecond * (double) waitedNanos;
    waitedNanos = 0;
    bytes = 0;
    return tooSlow;
  }
}
