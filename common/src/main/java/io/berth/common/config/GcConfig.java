package io.berth.common.config;

import java.time.Duration;

/**
 * Berth's {@code storage.gc} keys: garbage collection while the registry serves. A blob or manifest written or
 * relied on within {@code gracePeriod} is never collected; {@code deleteUntagged} also deletes manifests no tag
 * reaches (but never a child of a tagged index, nor a referrer of a kept manifest).
 */
public record GcConfig(boolean enabled, Duration interval, Duration gracePeriod, boolean deleteUntagged) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofHours(2);

  public static GcConfig disabled() {
    return new GcConfig(false, DEFAULT_INTERVAL, DEFAULT_GRACE_PERIOD, false);
  }

  /**
   * How old a blob's or revision link's modification time may be before a request that relies on it sets it to now;
   * null when no collection runs concurrently. A fraction of the grace period, so a blob in use never looks idle,
   * and a coarse one, so reads rarely write.
   */
  public Duration refreshAfter() {
    return enabled ? gracePeriod.dividedBy(16) : null;
  }
}
