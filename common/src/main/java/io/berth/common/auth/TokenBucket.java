package io.berth.common.auth;

import java.time.Duration;

/**
 * The failed logins one key (an account, an address) may still have: full at {@code capacity}, one taken per attempt,
 * refilled evenly so that a whole {@code window} brings back all of them. A bucket left alone for a window is full
 * again, which is why the throttle may forget a key after that long.
 */
final class TokenBucket {
  private final double capacity;
  private final double tokensPerNano;
  private double tokens;
  private long updatedNanos;

  TokenBucket(int capacity, Duration window, long nowNanos) {
    this.capacity = capacity;
    this.tokensPerNano = capacity / (double) window.toNanos();
    this.tokens = capacity;
    this.updatedNanos = nowNanos;
  }

  /** Takes one: 0 when there was one, else the nanoseconds until there will be. */
  synchronized long take(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / tokensPerNano);
  }

  /** Whether no failure was counted within the last window (or all were given back). */
  synchronized boolean full(long nowNanos) {
    refill(nowNanos);
    return tokens >= capacity;
  }

  /** Returns one taken by an attempt that turned out not to be a failure. */
  synchronized void giveBack(long nowNanos) {
    refill(nowNanos);
    tokens = Math.min(capacity, tokens + 1);
  }

  private void refill(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - updatedNanos) * tokensPerNano);
    updatedNanos = nowNanos;
  }
}
