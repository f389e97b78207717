package io.berth.common.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Syncer} by {@code fsync(2)}: {@code FileChannel.force(true)} on the file, and on the directory opened to read. */
final class Fsync implements Syncer {
  private static final Logger LOG = LoggerFactory.getLogger(Fsync.class);

  private final AtomicBoolean warned = new AtomicBoolean();

  @Override
  public void file(Path path, FileChannel channel) throws IOException {
    channel.force(true);
  }

  /**
   * Some file systems cannot open or sync a directory (Windows; some network and FUSE file systems answer EINVAL).
   * There, as PostgreSQL's {@code fsync_fname} does for directories, the rename is left to the file system's own
   * ordering, and the operator told once, rather than every write failing.
   */
  @Override
  public void directory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(directory)) {
        throw e;
      }
      if (warned.compareAndSet(false, true)) {
        LOG.warn("storage cannot sync directories, so a rename may not survive a power loss [directory: {}]: {}",
            directory, e.toString());
      }
    }
  }
}
