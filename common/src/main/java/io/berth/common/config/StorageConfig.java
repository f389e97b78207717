package io.berth.common.config;

import java.nio.file.Path;

/**
 * {@code storage.filesystem.rootdirectory}, {@code storage.delete.enabled} and {@code storage.filesystem.maxthreads}
 * (the size of the storage worker pool: at most that many blocking file-system operations at once, per process).
 */
public record StorageConfig(Path rootDirectory, boolean deleteEnabled, int maxThreads) {
  /** distribution's default and floor for {@code maxthreads}: a smaller value counts as the floor. */
  public static final int DEFAULT_MAX_THREADS = 100;
  public static final int MIN_MAX_THREADS = 25;
}
