package io.berth.notify.delivery;

import java.time.Duration;

/**
 * How long a claim lasts without renewal ({@code lease}), how long a delivered event stays marked {@code done}, and how
 * often an instance waiting for another's claim looks again ({@code poll}). Keep the lease several seconds long:
 * Hazelcast counts an entry's time to live from the start of the second it was written in (measured with Hazelcast
 * 5.3.8: a 1 s time to live written at .793 lapsed after 209 ms), so a lease can lapse up to a second early, and a
 * holder renews it only every third of the lease.
 */
public record ClaimTimings(Duration lease, Duration done, Duration poll) {
  /** A 30 s lease, done marks kept for an hour, a look every 200 ms. */
  public static final ClaimTimings DEFAULT =
      new ClaimTimings(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMillis(200));

  public ClaimTimings {
    if (lease.toMillis() < 3 || done.toMillis() < 1 || poll.toMillis() < 1) {
      throw new IllegalArgumentException("claim timings too short: " + lease + ", " + done + ", " + poll);
    }
  }
}
