package io.berth.common.config;

import java.nio.file.Path;

/**
 * {@code storage.filesystem.rootdirectory}, {@code storage.delete.enabled} and {@code storage.filesystem.maxthreads}
 * (the size of the storage worker pool: at most that many blocking file-system operations at once, per process).
 */
public record StorageConfig(Path rootDirectory, boolean deleteEnabled, int maxThreads) {
  /**
   * distribution's floor for {@code maxthreads} (a smaller value counts as the floor), and Berth's default where
   * distribution's is 100: a Go limit is only a ceiling, but a Java worker pool starts a thread for each task until
   * it is full and keeps them all (100 storage threads cost 35 MB of resident memory in one bench push).
   */
  public static final int MIN_MAX_THREADS = 25;
  public static final int DEFAULT_MAX_THREADS = MIN_MAX_THREADS;
}
