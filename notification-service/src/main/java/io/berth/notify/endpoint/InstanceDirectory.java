package io.berth.notify.endpoint;

import io.berth.notify.queue.FileLocks;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * This instance's part of {@code notifications.queue.directory}: {@code <queue directory>/<instance id>/}, with one
 * queue per endpoint under it, held through a lock on its {@value #LOCK} for as long as the service runs. So any number
 * of notification instances can share one queue directory (the default one lies under the storage root, which
 * scaled-out processes share).
 *
 * <p>A starting instance takes the first instance directory no running instance holds (in the all-in-one, its own from
 * the previous run), so the events queued before a restart are still delivered; only when every one is held does it
 * create a new one, named by a fresh random id. The directory's name is the instance's id in the delivery claims.
 */
public final class InstanceDirectory {
  static final String LOCK = "instance.lock";
  private static final int ATTEMPTS = 10;

  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private InstanceDirectory(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes an instance directory under {@code queueDirectory}, creating both when needed. */
  public static Future<InstanceDirectory> open(Vertx vertx, Path queueDirectory) {
    return vertx.executeBlocking(() -> take(queueDirectory), false);
  }

  static InstanceDirectory take(Path queueDirectory) throws IOException {
    Files.createDirectories(queueDirectory);
    for (Path existing : instanceDirectories(queueDirectory)) {
      InstanceDirectory taken = tryLock(existing);
      if (taken != null) {
        return taken;
      }
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Path fresh = queueDirectory.resolve(newId());
      try {
        Files.createDirectory(fresh);
      } catch (FileAlreadyExistsException e) {
        continue;
      }
      // Another instance starting now may see the new directory and lock it first; then this one tries another.
      InstanceDirectory taken = tryLock(fresh);
      if (taken != null) {
        return taken;
      }
    }
    throw new IOException("no instance directory could be taken under " + queueDirectory);
  }

  private static List<Path> instanceDirectories(Path queueDirectory) throws IOException {
    try (Stream<Path> children = Files.list(queueDirectory)) {
      return children.filter(child -> Files.isRegularFile(child.resolve(LOCK))).sorted().toList();
    }
  }

  private static InstanceDirectory tryLock(Path directory) throws IOException {
    FileChannel channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    FileLock lock = FileLocks.tryLock(channel);
    if (lock == null) {
      channel.close();
      return null;
    }
    return new InstanceDirectory(directory, channel, lock);
  }

  private static String newId() {
    // Random from a secure source, as instances started at the same moment on other hosts must not agree on one.
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** The instance's id: the directory's name, 12 hex digits. */
  public String id() {
    return path.getFileName().toString();
  }

  public Path path() {
    return path;
  }

  /** Where the endpoint's queue lives in this instance's directory. */
  public Path queueOf(String endpointName) {
    return QueueDirectory.of(path, endpointName);
  }

  /** Releases the directory for the next instance that starts. */
  public Future<Void> close(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      try {
        lock.release();
      } finally {
        channel.close();
      }
      return null;
    }, false);
  }
}
