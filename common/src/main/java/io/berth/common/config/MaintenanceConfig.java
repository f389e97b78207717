package io.berth.common.config;

import java.time.Duration;

/**
 * distribution's {@code storage.maintenance}: purging of abandoned uploads, and read-only mode (writes refused, reads
 * served), for instance while garbage is collected offline.
 */
public record MaintenanceConfig(UploadPurging uploadPurging, boolean readOnly) {

  /** Every {@code interval}, delete upload directories started more than {@code age} ago; only log them on a dry run. */
  public record UploadPurging(boolean enabled, Duration age, Duration interval, boolean dryRun) {
  }
}
