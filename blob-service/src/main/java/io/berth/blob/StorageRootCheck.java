package io.berth.blob;

import io.berth.common.storage.StorageAccess;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run once as the blob service starts, before it takes a request: the storage root must be a directory this process
 * can write, and so must the layout's top directory of an existing data directory. A registry:2 data directory
 * belongs to root; a registry of another user would serve its pulls and fail every push, so it refuses to start
 * instead, with one line naming the path, the user and the fix. Writability is tried, not inferred from permission
 * bits, which say nothing of a read-only mount, the immutable attribute or an NFS export squashing root. In read-only
 * mode nothing is written: a storage mounted read-only is accepted, and a missing root serves an empty registry, as
 * distribution's would.
 */
final class StorageRootCheck {
  private static final Logger LOG = LoggerFactory.getLogger(StorageRootCheck.class);
  private static final String PROBE = ".berth-write-check";

  private StorageRootCheck() {
  }

  static Future<Void> run(Vertx vertx, Path root, boolean readOnly) {
    return vertx.executeBlocking(() -> {
      check(root.toAbsolutePath().normalize(), readOnly);
      return null;
    }, false);
  }

  private static void check(Path root, boolean readOnly) {
    if (Files.exists(root)) {
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException("storage root " + root + " is not a directory");
      }
    } else if (readOnly) {
      LOG.warn("storage root {} does not exist: read-only mode creates nothing and serves an empty registry", root);
      return;
    } else {
      create(root);
    }
    if (readOnly) {
      return;
    }
    requireWritable("storage root", root, root);
    Path layout = root.resolve(StorageLayout.V2);
    if (Files.isDirectory(layout)) {
      requireWritable("storage directory", layout, root);
    }
  }

  private static void create(Path root) {
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new IllegalStateException("storage root " + root + " cannot be created by " + StorageAccess.user() + ": "
          + reason(e) + "; create it writable by " + StorageAccess.user() + ", or run as root (docker run --user 0)");
    }
  }

  private static void requireWritable(String what, Path directory, Path root) {
    Path probe = directory.resolve(PROBE);
    try {
      Files.write(probe, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      Files.deleteIfExists(probe);
    } catch (IOException e) {
      throw new IllegalStateException(what + " " + directory + " is not writable by " + StorageAccess.user() + " ("
          + reason(e) + "; " + ownership(directory) + "): " + StorageAccess.remedy(root));
    }
  }

  private static String ownership(Path directory) {
    try {
      return "it belongs to uid " + Files.getAttribute(directory, "unix:uid") + ", mode "
          + PosixFilePermissions.toString(Files.getPosixFilePermissions(directory));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "its owner is unknown";
    }
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "Permission denied";
    }
    return e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.toString();
  }
}
