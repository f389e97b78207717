package io.berth.common.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * How {@link FileSystemStorageDriver} makes what it publishes survive a crash of the machine: a file's bytes are
 * forced to the device before the rename that publishes it, and each directory that got a new name after it (a name
 * is only as durable as its directory). A seam of our own, so that a test can see which syncs happen, and when.
 */
public interface Syncer {
  /** {@code fsync(2)}: what the registry runs with. */
  Syncer FSYNC = new Fsync();

  /** Forces the file's bytes and metadata to the device. {@code path} names it, for those who watch. */
  void file(Path path, FileChannel channel) throws IOException;

  /** Forces a directory's entries: the names created, renamed into or removed from it. */
  void directory(Path directory) throws IOException;
}
