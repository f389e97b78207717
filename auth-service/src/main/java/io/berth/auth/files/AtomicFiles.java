package io.berth.auth.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces or creates a file so that a reader (or a restart after a crash) sees either the old content or the new,
 * never a mix: the bytes go to a temporary file in the same directory, are forced to disk, then renamed over the
 * target, or hard-linked to it when it must not be replaced. Blocking; call from a worker.
 */
public final class AtomicFiles {
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {
  }

  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
    Path temporary = temporary(target, bytes, permissions);
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /**
   * Creates the file unless it exists: of several writers racing, in this process or others on the same file
   * system, exactly one creates it (a hard link fails when the target exists) and the others find it whole.
   * Answers whether this call created it. Needs a file system with hard links (local ones and NFS have them).
   */
  public static boolean createIfAbsent(Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    Path temporary = temporary(target, bytes, permissions);
    try {
      Files.createLink(target, temporary);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The bytes in a new file next to the target, forced to disk. */
  private static Path temporary(Path target, byte[] bytes, Set<PosixFilePermission> permissions)
      throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    // The temporary file gets its final permissions at creation, so a private key is never readable by others.
    Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", attributes(permissions));
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    return temporary;
  }

  private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
    if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
  }
}
