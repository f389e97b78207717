package io.berth.common.config;

import java.time.Duration;

/** distribution's {@code health} section; Berth runs its {@code storagedriver} check. */
public record HealthConfig(StorageDriverCheck storageDriver) {

  /**
   * {@code health.storagedriver}: probe the storage every {@code interval}; report the failure once {@code threshold}
   * probes in a row failed (0 reports the first, as distribution).
   */
  public record StorageDriverCheck(boolean enabled, Duration interval, int threshold) {
  }
}
