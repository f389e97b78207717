package io.berth.common.config;

import java.nio.file.Path;

/** {@code storage.filesystem.rootdirectory} and {@code storage.delete.enabled}. */
public record StorageConfig(Path rootDirectory, boolean deleteEnabled) {
}
