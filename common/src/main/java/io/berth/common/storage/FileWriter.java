package io.berth.common.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * A file written in pieces over any number of requests, processes and restarts: an upload's data (distribution's
 * {@code storagedriver.FileWriter}). A writer is used from one Vert.x context, one call at a time: each call waits for
 * the future of the one before. Each writer ends with exactly one of {@link #close}, {@link #commit} or
 * {@link #cancel}.
 */
public interface FileWriter {
  /** The file's size: the bytes it held when the writer was opened and those written since. */
  long size();

  /** Appends the bytes; the future completes when the writer takes more, which is how a writer pushes back. */
  Future<Void> write(Buffer chunk);

  /**
   * Makes every byte written durable and lets the writer go: {@link StorageDriver#writer(String, boolean)} in append
   * mode, in this process or another, continues at {@link #size()}. The file need not be readable at its path yet.
   */
  Future<Void> close();

  /** Makes the file whole and readable at its path. */
  Future<Void> commit();

  /** Drops the file and every byte written to it, also by earlier writers: nothing is left at its path. */
  Future<Void> cancel();
}
