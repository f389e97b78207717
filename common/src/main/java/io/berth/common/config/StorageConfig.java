package io.berth.common.config;

import java.nio.file.Path;

/**
 * {@code storage.filesystem.rootdirectory}, {@code storage.delete.enabled}, {@code storage.filesystem.maxthreads}
 * (the size of the storage worker pool: at most that many blocking file-system operations at once, per process),
 * {@code storage.s3} (null unless the registry stores on S3) and {@code storage.redirect.disable}. With S3 the root
 * directory still holds what Berth keeps locally (the token issuer's data, the notification queues) and no registry
 * content.
 */
public record StorageConfig(Path rootDirectory, boolean deleteEnabled, int maxThreads, S3Config s3,
    boolean redirectDisabled) {
  /**
   * distribution's floor for {@code maxthreads} (a smaller value counts as the floor), and Berth's default where
   * distribution's is 100: a Go limit is only a ceiling, but a Java worker pool starts a thread for each task until
   * it is full and keeps them all (100 storage threads cost 35 MB of resident memory in one bench push).
   */
  public static final int MIN_MAX_THREADS = 25;
  public static final int DEFAULT_MAX_THREADS = MIN_MAX_THREADS;

  /**
   * The driver's name as distribution's driver reports it ({@code Name()}: {@code filesystem}, {@code s3aws}), in
   * metric labels and the health check's name, so dashboards written for distribution read Berth's too.
   */
  public String driverName() {
    return s3 == null ? StorageDrivers.FILESYSTEM : "s3aws";
  }
}
