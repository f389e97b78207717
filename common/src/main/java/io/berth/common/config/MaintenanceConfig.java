package io.berth.common.config;

import java.time.Duration;

/**
 * distribution's {@code storage.maintenance}: purging of abandoned uploads, and read-only mode (writes refused, reads
 * served), for instance while garbage is collected offline.
 */
public record MaintenanceConfig(UploadPurging uploadPurging, boolean readOnly) {

  /** Every {@code interval}, delete the upload directories started over {@code age} ago; a dry run only logs them. */
  public record UploadPurging(boolean enabled, Duration age, Duration interval, boolean dryRun) {
  }
}
