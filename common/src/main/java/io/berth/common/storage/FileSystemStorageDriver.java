package io.berth.common.storage;

import io.berth.common.config.StorageConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Storage on a local (or shared, POSIX) file system. Each operation runs as one blocking task on the storage workers
 * ({@value #WORKERS}, a pool of its own: storage never waits behind other blocking work, nor other work behind it),
 * so a link write is one hop off the event loop rather than three. Streams read and write on the same workers.
 *
 * <p>Durability: {@link #write} syncs the new file before renaming it into place; {@link #move} syncs a file before
 * renaming it; both then sync the directory that got the name and the parent of every directory they created, so
 * that what they published is still there after a power loss. Streams, {@code touch} and {@code delete} sync
 * nothing: an upload's bytes are synced by the move that commits them, and a delete that a power loss undoes comes
 * back (distribution's filesystem driver does not sync deletes either).
 */
public final class FileSystemStorageDriver implements StorageDriver {
  /** The name of the storage worker pool, one per Vert.x instance, shared by every driver on it. */
  public static final String WORKERS = "berth-storage";
  private static final String TEMP_PREFIX = ".tmp-";
  private static final int VANISHED_DIRECTORY_RETRIES = 5;
  private static final int READ_CHUNK = 256 * 1024;
  private static final long CLAIM_POLL_MS = 10;
  private static final long CLAIM_WAIT_MS = 5_000;

  private final Vertx vertx;
  private final Path root;
  private final WorkerExecutor worker;
  private final Syncer syncer;

  public FileSystemStorageDriver(Vertx vertx, Path root) {
    this(vertx, root, StorageConfig.DEFAULT_MAX_THREADS, Syncer.FSYNC);
  }

  /**
   * {@code threads}: the size of the storage worker pool when this driver is the first on {@code vertx} to use it
   * (later drivers share the pool as it is). Created in a verticle, the driver's use of the pool ends with it.
   */
  public FileSystemStorageDriver(Vertx vertx, Path root, int threads, Syncer syncer) {
    this.vertx = vertx;
    this.root = root.toAbsolutePath().normalize();
    this.worker = vertx.createSharedWorkerExecutor(WORKERS, threads);
    this.syncer = syncer;
  }

  /** The driver {@code storage.filesystem} configures. */
  public static FileSystemStorageDriver create(Vertx vertx, StorageConfig config) {
    return new FileSystemStorageDriver(vertx, config.rootDirectory(), config.maxThreads(), Syncer.FSYNC);
  }

  /** A path in the layout's normal form ({@link StoragePaths}), which resolves under the root. */
  private Path resolve(String path) {
    Path resolved = root.resolve(StoragePaths.check(path)).normalize();
    if (!resolved.startsWith(root)) {
      throw new IllegalArgumentException("path escapes the storage root: " + path);
    }
    return resolved;
  }

  /** For the stream operations, which resolve on the caller's thread: an escaping path fails, it does not throw. */
  private Future<Path> resolved(String path) {
    try {
      return Future.succeededFuture(resolve(path));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private <T> Future<T> blocking(String path, Callable<T> task) {
    return worker.executeBlocking(() -> {
      try {
        return task.call();
      } catch (NoSuchFileException | NotDirectoryException e) {
        throw new PathNotFoundException(path);
      }
    }, false);
  }

  @Override
  public Future<Buffer> read(String path) {
    return pastClaims(path, () -> Buffer.buffer(Files.readAllBytes(resolve(path))));
  }

  /**
   * A read of a file garbage collection has set aside ({@link #claim}) runs again once the claim is judged: a claimed
   * file is put back when spared, so meanwhile it is not gone, only away, and a reader told "not found" would answer a
   * client 404 for a blob it had just pushed. A file that is missing while its directory holds a claim (of any process
   * sharing the storage) is looked for again every {@value #CLAIM_POLL_MS} ms, for at most {@value #CLAIM_WAIT_MS} ms:
   * a claim left by a collector that died stays until the next collection restores it.
   */
  private <T> Future<T> pastClaims(String path, Callable<T> read) {
    return pastClaims(path, read, System.currentTimeMillis() + CLAIM_WAIT_MS);
  }

  private <T> Future<T> pastClaims(String path, Callable<T> read, long deadline) {
    return worker.executeBlocking(() -> {
      try {
        return read.call();
      } catch (NoSuchFileException e) {
        throw claimedAside(resolve(path)) ? new ClaimPending() : new PathNotFoundException(path);
      } catch (NotDirectoryException e) {
        throw new PathNotFoundException(path);
      }
    }, false).recover(failure -> {
      if (!(failure instanceof ClaimPending)) {
        return Future.failedFuture(failure);
      }
      if (System.currentTimeMillis() >= deadline) {
        return Future.failedFuture(new PathNotFoundException(path));
      }
      Promise<T> retried = Promise.promise();
      vertx.setTimer(CLAIM_POLL_MS, id -> pastClaims(path, read, deadline).onComplete(retried));
      return retried.future();
    });
  }

  private static boolean claimedAside(Path file) throws IOException {
    try (Stream<Path> siblings = Files.list(file.getParent())) {
      return siblings.anyMatch(sibling -> sibling.getFileName().toString().startsWith(CLAIM_PREFIX));
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    }
  }

  /** A read met a claim: looked for again, never seen by callers. */
  private static final class ClaimPending extends RuntimeException {
    ClaimPending() {
      super(null, null, false, false);
    }
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return blocking(path, () -> {
      Path target = resolve(path);
      Path temp = target.resolveSibling(TEMP_PREFIX + UUID.randomUUID());
      try {
        List<Path> created = inParent(target, () -> {
          writeSynced(temp, content);
          moveAtomically(temp, target);
        });
        syncDirectories(target, created);
      } finally {
        Files.deleteIfExists(temp);
      }
      return null;
    });
  }

  private void writeSynced(Path file, Buffer content) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(content.getBytes());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      syncer.file(file, channel);
    }
  }

  /**
   * After a rename: the directory holding the new name, then the parent of each directory created for it (a new
   * directory is a name in its parent), deepest first; each directory once.
   */
  private void syncDirectories(Path target, List<Path> created) throws IOException {
    syncer.directory(target.getParent());
    for (int i = created.size() - 1; i >= 0; i--) {
      syncer.directory(created.get(i).getParent());
    }
  }

  private interface DirectoryWork {
    void run() throws IOException;
  }

  /**
   * Creates the target's parent directories, then works in them; answers the directories that were missing, topmost
   * first. Garbage collection removes directories it has emptied, so one may vanish between its creation and the
   * work: the work is retried in a re-created directory.
   */
  private static List<Path> inParent(Path target, DirectoryWork work) throws IOException {
    LinkedHashSet<Path> created = new LinkedHashSet<>();
    for (int attempt = 1; ; attempt++) {
      created.addAll(createParents(target));
      try {
        work.run();
        return List.copyOf(created);
      } catch (NoSuchFileException e) {
        if (attempt == VANISHED_DIRECTORY_RETRIES || Files.isDirectory(target.getParent())) {
          throw e;
        }
      }
    }
  }

  /** The missing directories above {@code target}, topmost first, now created (by this call or a concurrent one). */
  private static List<Path> createParents(Path target) throws IOException {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path directory = target.getParent(); directory != null && !Files.isDirectory(directory);
        directory = directory.getParent()) {
      missing.push(directory);
    }
    for (Path directory : missing) {
      try {
        Files.createDirectory(directory);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(directory)) {
          throw e;
        }
      }
    }
    return List.copyOf(missing);
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public Future<FileStat> stat(String path) {
    return pastClaims(path, () -> {
      BasicFileAttributes attributes = Files.readAttributes(resolve(path), BasicFileAttributes.class);
      return new FileStat(attributes.size(), attributes.isDirectory(), attributes.lastModifiedTime().toMillis());
    });
  }

  @Override
  public Future<Void> touch(String path) {
    return blocking(path, () -> {
      Files.setLastModifiedTime(resolve(path), FileTime.fromMillis(System.currentTimeMillis()));
      return null;
    });
  }

  @Override
  public Future<List<String>> list(String path) {
    return blocking(path, () -> {
      try (Stream<Path> children = Files.list(resolve(path))) {
        return children.map(child -> child.getFileName().toString())
            .filter(name -> !name.startsWith(TEMP_PREFIX))
            .sorted()
            .toList();
      }
    });
  }

  /** Directory by directory, one blocking step per page; a directory that vanishes meanwhile holds nothing. */
  @Override
  public Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page) {
    Path start;
    try {
      start = resolve(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return walkFrom(new Walk(start), page);
  }

  /** Where a walk stands: the directories still to list and the files listed but not yet handed out. */
  private static final class Walk {
    private final Deque<Path> directories = new ArrayDeque<>();
    private final Deque<FileInfo> files = new ArrayDeque<>();

    Walk(Path start) {
      directories.push(start);
    }
  }

  private Future<Void> walkFrom(Walk walk, Function<List<FileInfo>, Future<Void>> page) {
    return worker.executeBlocking(() -> nextPage(walk), false)
        .compose(files -> files.isEmpty() ? Future.succeededFuture()
            : page.apply(files).compose(v -> walkFrom(walk, page)));
  }

  private List<FileInfo> nextPage(Walk walk) throws IOException {
    List<FileInfo> page = new ArrayList<>();
    while (page.size() < WALK_PAGE && !(walk.files.isEmpty() && walk.directories.isEmpty())) {
      if (!walk.files.isEmpty()) {
        page.add(walk.files.poll());
        continue;
      }
      Path directory = walk.directories.pop();
      List<Path> children;
      try (Stream<Path> listed = Files.list(directory)) {
        children = listed.filter(child -> !child.getFileName().toString().startsWith(TEMP_PREFIX)).sorted().toList();
      } catch (NoSuchFileException | NotDirectoryException e) {
        continue;
      }
      for (int i = children.size() - 1; i >= 0; i--) {
        Path child = children.get(i);
        try {
          BasicFileAttributes attributes = Files.readAttributes(child, BasicFileAttributes.class);
          if (attributes.isDirectory()) {
            walk.directories.push(child);
          } else {
            walk.files.push(new FileInfo(root.relativize(child).toString(), attributes.size(),
                attributes.lastModifiedTime().toMillis()));
          }
        } catch (NoSuchFileException e) {
          // deleted since the listing
        }
      }
    }
    return page;
  }

  /**
   * Renames the file aside ({@link #CLAIM_PREFIX}), one atomic step after which no request finds or touches it,
   * then judges the time the renamed file kept: a touch that found the file came before the rename and shows. Put
   * back with {@code link(2)} when spared (a new copy stored meanwhile stays: a link, unlike a rename, never
   * replaces one); its directory goes with it when deleted and nothing else is left there.
   */
  @Override
  public Future<Boolean> claim(String path, Function<Long, Future<Boolean>> stillGarbage) {
    return this.<Claimed>blocking(path, () -> {
      Path file = resolve(path);
      Path aside = file.resolveSibling(CLAIM_PREFIX + UUID.randomUUID());
      try {
        Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        return null;
      }
      return new Claimed(file, aside, Files.getLastModifiedTime(aside).toMillis());
    }).compose(claimed -> claimed == null ? Future.succeededFuture(false) : judge(path, claimed, stillGarbage));
  }

  private record Claimed(Path file, Path aside, long modifiedMillis) {
  }

  private Future<Boolean> judge(String path, Claimed claimed, Function<Long, Future<Boolean>> stillGarbage) {
    Future<Boolean> judged;
    try {
      judged = stillGarbage.apply(claimed.modifiedMillis());
    } catch (RuntimeException e) {
      judged = Future.failedFuture(e);
    }
    return judged.transform(verdict -> {
      if (verdict.succeeded() && verdict.result()) {
        return blocking(path, () -> {
          Files.delete(claimed.aside());
          try {
            Files.deleteIfExists(claimed.file().getParent());
          } catch (DirectoryNotEmptyException e) {
            // in use again, or holds more than the file
          }
          return true;
        });
      }
      return blocking(path, () -> {
        restore(claimed.aside(), claimed.file());
        return false;
      }).compose(restored -> verdict.failed() ? Future.failedFuture(verdict.cause()) : Future.succeededFuture(false));
    });
  }

  private static void restore(Path aside, Path file) throws IOException {
    try {
      Files.createLink(file, aside);
    } catch (FileAlreadyExistsException e) {
      // the new copy stays
    } catch (UnsupportedOperationException | FileSystemException e) {
      try {
        Files.move(aside, file);
      } catch (FileAlreadyExistsException exists) {
        // the new copy stays
      }
    }
    Files.deleteIfExists(aside);
  }

  /** A file's bytes are synced before the rename; a directory's files were synced when they were written. */
  @Override
  public Future<Void> move(String from, String to) {
    return blocking(from, () -> {
      Path source = resolve(from);
      Path target = resolve(to);
      if (!Files.isDirectory(source)) {
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
          syncer.file(source, channel);
        }
      }
      List<Path> created = inParent(target, () -> {
        try {
          moveAtomically(source, target);
        } catch (NoSuchFileException e) {
          throw e;
        } catch (FileSystemException e) {
          // rename(2) cannot replace a non-empty directory; the JDK reports that ENOTEMPTY as a bare FileSystemException.
          if (!Files.isDirectory(source) || !Files.isDirectory(target)) {
            throw e;
          }
          deleteTree(target);
          moveAtomically(source, target);
        }
      });
      syncDirectories(target, created);
      return null;
    });
  }

  @Override
  public Future<Void> delete(String path) {
    return blocking(path, () -> {
      deleteTree(resolve(path));
      return null;
    });
  }

  /** A writer writes its file where it lies: {@link #list} sees it, so none is unfinished in this sense. */
  @Override
  public Future<List<UnfinishedWrite>> unfinishedWrites(String path) {
    try {
      StoragePaths.check(path);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture(List.of());
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    List<IOException> failures = new ArrayList<>();
    Files.walkFileTree(path, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) {
        try {
          Files.deleteIfExists(dir);
        } catch (IOException e) {
          failures.add(e);
        }
        return FileVisitResult.CONTINUE;
      }
    });
    if (!failures.isEmpty()) {
      throw new UncheckedIOException(failures.get(0));
    }
  }

  /**
   * Only a write from the start creates the file: a file that vanished while it was being written (an upload in a
   * repository deleted meanwhile) must not come back with a hole where its first bytes were.
   */
  @Override
  public Future<FileWriter> writer(String path, boolean append) {
    return resolved(path).compose(file -> (append
            ? Future.<Path>succeededFuture() : blocking(path, () -> Files.createDirectories(file.getParent())))
        .compose(dir -> vertx.fileSystem().open(file.toString(),
            new OpenOptions().setWrite(true).setCreate(!append).setTruncateExisting(!append)))
        .compose(asyncFile -> asyncFile.size().<FileWriter>map(size ->
            new FileSystemFileWriter(asyncFile.setWritePos(size), size, () -> delete(path))))
        .recover(failure -> Future.failedFuture(
            failure.getCause() instanceof NoSuchFileException ? new PathNotFoundException(path) : failure)));
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    Context context = vertx.getOrCreateContext();
    return resolved(path).compose(file -> this.<ReadStream<Buffer>>pastClaims(path, () -> new FileReadStream(context,
        worker, FileChannel.open(file, StandardOpenOption.READ), path, offset, length, READ_CHUNK)));
  }

  @Override
  public Optional<Path> localPath(String path) {
    return Optional.of(resolve(path));
  }

  /** Blobs on a file system are served by the registry itself (zero-copy where it can see the file). */
  @Override
  public Optional<String> redirectUrl(String path) {
    return Optional.empty();
  }

  @Override
  public void close() {
  }

  /** Exposed for tests and tools that must look at the files themselves. */
  public Path root() {
    return root;
  }
}
