package io.berth.notify.delivery;

import java.time.Duration;

/**
 * distribution's breaker ({@code events.NewBreaker(threshold, backoff)}): the first {@code threshold - 1}
 * consecutive failures are retried at once; from the {@code threshold}-th on, each retry waits {@code backoff}. Berth
 * doubles that wait after each further failure, up to {@code maxBackoff} (equal to {@code backoff} unless configured,
 * which is distribution's behaviour). A success starts over.
 */
final class RetryPolicy {
  private final int threshold;
  private final Duration backoff;
  private final Duration maxBackoff;
  private int failures;

  RetryPolicy(int threshold, Duration backoff, Duration maxBackoff) {
    this.threshold = threshold;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
  }

  void success() {
    failures = 0;
  }

  /** Records a failed attempt and returns how long to wait before the next one. */
  Duration failure() {
    failures++;
    if (failures < threshold) {
      return Duration.ZERO;
    }
    int doublings = Math.min(failures - threshold, 30);
    Duration wait = backoff.multipliedBy(1L << doublings);
    return wait.compareTo(maxBackoff) > 0 || wait.isNegative() ? maxBackoff : wait;
  }

  int consecutiveFailures() {
    return failures;
  }
}
