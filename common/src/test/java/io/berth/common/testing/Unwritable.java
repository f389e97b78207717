package io.berth.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;

/**
 * Makes a directory refuse new entries for this JVM, and gives it back on close. Permission bits do not stop root, and
 * the tests run as root in CI's containers: there the directory gets the immutable attribute ({@code chattr +i}, which
 * root cannot write through without first removing it); for any other user read-only permission bits suffice.
 */
public final class Unwritable implements AutoCloseable {
  private final Path directory;
  private final boolean immutable;
  private final Set<PosixFilePermission> permissions;

  private Unwritable(Path directory, boolean immutable, Set<PosixFilePermission> permissions) {
    this.directory = directory;
    this.immutable = immutable;
    this.permissions = permissions;
  }

  public static Unwritable make(Path directory) throws IOException, InterruptedException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
    if (isRoot()) {
      chattr("+i", directory);
      return new Unwritable(directory, true, permissions);
    }
    Files.setPosixFilePermissions(directory, Set.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE));
    return new Unwritable(directory, false, permissions);
  }

  /** Whether this JVM runs as root, whom permission bits do not stop. */
  public static boolean isRoot() throws IOException {
    return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
  }

  private static void chattr(String change, Path directory) throws IOException, InterruptedException {
    ChildProcess.Result chattr = ChildProcess.command("chattr", change, directory.toString())
        .run(Duration.ofSeconds(30));
    if (chattr.exitCode() != 0) {
      throw new AssertionError("chattr " + change + " " + directory + " failed (root needs the immutable attribute "
          + "to make a directory unwritable to itself): " + chattr.output());
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (immutable) {
      chattr("-i", directory);
    } else {
      Files.setPosixFilePermissions(directory, permissions);
    }
  }
}
