package io.berth.common.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The file system refusing a write (permissions, the immutable attribute, a read-only mount) and what an operator
 * can do about it. A registry:2 data directory belongs to root; a process of another user reads it fine and fails
 * at its first write, so the refusal must name the path, the user and the fix.
 */
public final class StorageAccess {
  /** How the JDK words EPERM and EROFS; EACCES is an {@link AccessDeniedException}. */
  private static final Set<String> REFUSALS = Set.of("Operation not permitted", "Read-only file system");

  private StorageAccess() {
  }

  /** The file-system refusal behind {@code failure}, if one is among its causes. */
  public static Optional<FileSystemException> refusal(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof AccessDeniedException denied) {
        return Optional.of(denied);
      }
      if (cause instanceof FileSystemException refused && refused.getReason() != null
          && REFUSALS.contains(refused.getReason())) {
        return Optional.of(refused);
      }
    }
    return Optional.empty();
  }

  /** This process's user id, as {@code chown} takes it; -1 where the system does not say. */
  public static int uid() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return -1;
    }
  }

  /** "uid 10001", or the user's name where the id is unknown. */
  public static String user() {
    int uid = uid();
    return uid >= 0 ? "uid " + uid : "user " + System.getProperty("user.name");
  }

  /**
   * What to do when {@code root} (or a directory below it) refuses writes: root itself is refused only by a
   * read-only mount or the immutable attribute; anyone else needs the directory's owner changed, or to run as root
   * (the registry:2 image runs as root).
   */
  public static String remedy(Path root) {
    int uid = uid();
    if (uid == 0) {
      return "mount it read-write, or serve it read-only with storage.maintenance.readonly.enabled: true";
    }
    String owner = uid > 0 ? String.valueOf(uid) : System.getProperty("user.name");
    return "chown -R " + owner + " " + root + " (on a container's host: the directory mounted there), or run as root"
        + " (docker run --user 0), or serve it read-only with storage.maintenance.readonly.enabled: true";
  }
}
