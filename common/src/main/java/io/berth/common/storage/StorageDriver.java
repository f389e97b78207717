package io.berth.common.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The few storage operations the registry needs, on paths relative to the storage root ("/"-separated).
 * Missing paths fail with {@link PathNotFoundException}. Every implementation passes the contract test suite.
 */
public interface StorageDriver {
  /** Reads a small file whole (links, manifests); never used for blobs. */
  Future<Buffer> read(String path);

  /** Replaces the file atomically: a reader sees the old content or the new one, never a part. */
  Future<Void> write(String path, Buffer content);

  Future<FileStat> stat(String path);

  /**
   * Sets a file's modification time to now: marks it as in use for a concurrent garbage collection, which never
   * deletes what changed within its grace period. Fails with {@link PathNotFoundException} when the file is missing.
   */
  Future<Void> touch(String path);

  /** The names of a directory's direct children, sorted. */
  Future<List<String>> list(String path);

  /** Moves a file or directory into place atomically, replacing what was there and creating parents. */
  Future<Void> move(String from, String to);

  /** Deletes a file or a directory tree; succeeds when there is nothing to delete. */
  Future<Void> delete(String path);

  /**
   * A stream that writes the file from {@code offset} on; ending the stream closes it. A write from offset 0 creates
   * the file (and its parents) if missing; a write from a later offset fails with {@link PathNotFoundException}.
   */
  Future<WriteStream<Buffer>> writer(String path, long offset);

  /** A stream of {@code length} bytes of the file from {@code offset}. */
  Future<ReadStream<Buffer>> reader(String path, long offset, long length);

  /** Where the file lives on this host's file system, when it does: lets a co-located reader send it zero-copy. */
  Optional<Path> localPath(String path);

  record FileStat(long size, boolean directory, long modifiedMillis) {
  }
}
