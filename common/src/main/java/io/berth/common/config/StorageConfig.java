package io.berth.common.config;

import java.nio.file.Path;

/**
 * {@code storage.filesystem.rootdirectory}, {@code storage.delete.enabled}, {@code storage.s3} (null unless the
 * registry stores on S3) and {@code storage.redirect.disable}. With S3 the root directory still holds what Berth keeps
 * locally (the token issuer's data, the notification queues) and no registry content.
 */
public record StorageConfig(Path rootDirectory, boolean deleteEnabled, S3Config s3, boolean redirectDisabled) {
  /**
   * The driver's name as distribution's driver reports it ({@code Name()}: {@code filesystem}, {@code s3aws}), in
   * metric labels and the health check's name, so dashboards written for distribution read Berth's too.
   */
  public String driverName() {
    return s3 == null ? StorageDrivers.FILESYSTEM : "s3aws";
  }
}
