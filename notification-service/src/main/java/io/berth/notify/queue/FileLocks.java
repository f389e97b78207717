package io.berth.notify.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;

/** Lock files that keep a second process (or a second owner in this one) off a directory. */
public final class FileLocks {
  private FileLocks() {
  }

  /**
   * The lock on {@code channel}'s file, or null when it is held: by another process, or by this JVM, which the JDK
   * reports by throwing instead.
   */
  public static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null;
    }
  }
}
