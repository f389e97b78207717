package io.berth.common.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The few storage operations the registry needs, on paths relative to the storage root ("/"-separated).
 * Missing paths fail with {@link PathNotFoundException}. Every implementation passes the contract test suite.
 *
 * <p>The driver owns what it opens. A stream from {@link #reader} releases its file or connection itself, on every
 * path: when its last byte is delivered, when it fails, and when its consumer lets go of it by unsetting its handler
 * ({@code handler(null)}), which a Vert.x pipe does once it completes either way (a client hanging up mid-download,
 * an aborted bus stream). A caller that takes a stream therefore only has to consume it or unset its handler. A
 * stream from {@link #writer} releases its file when ended, whatever happened before.
 *
 * <p>What {@link #write} and {@link #move} publish is durable once their future succeeds: still there, whole, after
 * a crash of the machine. Nothing else is promised to be durable: a writer's bytes become so when moved into place.
 * Drivers run their blocking work on workers of their own, never on the event loop or Vert.x's default pool.
 */
public interface StorageDriver {
  /** The most files one page of a {@link #walk} holds: S3's page of a listing. */
  int WALK_PAGE = 1000;

  /**
   * Where {@link #claim} may set a file aside (a sibling named {@code <prefix><uuid>}): what a process that died
   * mid-claim left there is the file itself, which a collection puts back where it finds none.
   */
  String CLAIM_PREFIX = ".gc-";

  /** Reads a small file whole (links, manifests); never used for blobs. */
  Future<Buffer> read(String path);

  /**
   * Replaces the file atomically: a reader sees the old content or the new one, never a part. Durable on success.
   */
  Future<Void> write(String path, Buffer content);

  Future<FileStat> stat(String path);

  /**
   * Sets a file's modification time to now: marks it as in use for a concurrent garbage collection, which never
   * deletes what changed within its grace period. Fails with {@link PathNotFoundException} when the file is missing.
   */
  Future<Void> touch(String path);

  /** The names of a directory's direct children, sorted. */
  Future<List<String>> list(String path);

  /**
   * Every file below {@code path}, recursively (nothing when there is none), handed to {@code page} in pages of at
   * most {@value #WALK_PAGE}; the next page is read only once the future the handler returned has succeeded, and a
   * failed one ends the walk with its failure. A walk of any size so holds one page at a time, never the whole
   * listing. Files written while it runs may or may not be seen; the order of the files is unspecified.
   */
  Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page);

  /**
   * Deletes a file a garbage collection judged unused, unless a request relied on it meanwhile ({@link #touch}):
   * {@code stillGarbage} is asked with the file's modification time, and the file is deleted only when it answers
   * true. Answers whether the file was deleted (false: missing, or spared). A judgement that fails leaves the file.
   *
   * <p>This default reads the time, judges and deletes: a touch between the read and the delete (one round trip) is
   * lost. A driver that can take a file out of every request's reach in one step first does so, judges the time the
   * file had then, and puts it back when spared ({@link #CLAIM_PREFIX}), so that no touch is ever lost.
   */
  default Future<Boolean> claim(String path, Function<Long, Future<Boolean>> stillGarbage) {
    return stat(path).transform(stat -> {
      if (stat.failed()) {
        return stat.cause() instanceof PathNotFoundException ? Future.succeededFuture(false)
            : Future.failedFuture(stat.cause());
      }
      return stillGarbage.apply(stat.result().modifiedMillis())
          .compose(garbage -> garbage ? delete(path).map(true) : Future.succeededFuture(false));
    });
  }

  /**
   * Moves a file or directory into place atomically, replacing what was there and creating parents. Durable on
   * success, the moved file's bytes included: this is how an upload is committed.
   */
  Future<Void> move(String from, String to);

  /**
   * Deletes a file or a directory tree, with the files being written in it ({@link #writer}); succeeds when there is
   * nothing to delete.
   */
  Future<Void> delete(String path);

  /**
   * The files below a directory that writers started and neither committed nor cancelled and that {@link #list} and
   * {@link #stat} cannot see, with when each was started: on S3 the multipart uploads in progress there (a writer's
   * file is no object until its upload completes). Upload purging aborts those of sessions that are gone by
   * {@link #delete}ing their directory. A driver whose writers write ordinary files, visible to {@link #list},
   * answers none. A directory with none, or no such directory, answers an empty list.
   */
  Future<List<UnfinishedWrite>> unfinishedWrites(String path);

  /**
   * A writer of a file written in pieces (an upload's data). Not appending starts the file anew, empty; appending
   * continues the file an earlier writer closed, at its {@link FileWriter#size()}, and fails with
   * {@link PathNotFoundException} when there is none (never written, committed and moved, cancelled or deleted).
   */
  Future<FileWriter> writer(String path, boolean append);

  /**
   * A stream of {@code length} bytes of the file from {@code offset}; it fails if the file ends before them. It
   * releases what it holds when it ends, fails or is let go of (see above).
   */
  Future<ReadStream<Buffer>> reader(String path, long offset, long length);

  /** Where the file lives on this host's file system, when it does: lets a co-located reader send it zero-copy. */
  Optional<Path> localPath(String path);

  /**
   * A URL a client may fetch the file from for a while, without credentials, when the storage serves files itself
   * (distribution's storage redirect): the registry then redirects a blob download there.
   */
  Optional<String> redirectUrl(String path);

  /** Lets go of what the driver holds (an S3 client's connections); the driver is not used afterwards. */
  void close();

  record FileStat(long size, boolean directory, long modifiedMillis) {
  }

  /** A file a {@link #walk} found: its path (relative to the storage root, as every path), size and time. */
  record FileInfo(String path, long size, long modifiedMillis) {
  }

  /** A file being written ({@link #unfinishedWrites}): its path and when its writer started it. */
  record UnfinishedWrite(String path, long startedMillis) {
  }
}
