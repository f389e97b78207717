package io.berth.common.storage;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes an open file from a position, one write at a time on the storage workers, in the order given. A failed
 * write fails every later one; {@code end()} closes the file whatever happened and answers the first failure. Nothing
 * is synced here: bytes become durable when the driver moves the file into place.
 */
final class FileWriteStream implements WriteStream<Buffer> {
  private final WorkerExecutor worker;
  private final FileChannel channel;
  private final String path;
  private long position;
  private Future<Void> last = Future.succeededFuture();
  private long queued;
  private int maxQueued = 1024 * 1024;
  private boolean ended;
  private boolean failed;
  private boolean drainPending;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  FileWriteStream(WorkerExecutor worker, FileChannel channel, String path, long offset) {
    this.worker = worker;
    this.channel = channel;
    this.path = path;
    this.position = offset;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (ended) {
      return Future.failedFuture(new IllegalStateException("writer of " + path + " already ended"));
    }
    long at = position;
    int length = data.length();
    position += length;
    queued += length;
    Future<Void> written = last.compose(v -> worker.executeBlocking(() -> {
      writeFully(data, at);
      return null;
    }, false));
    last = written;
    written.onComplete(done -> {
      queued -= length;
      if (done.failed() && !failed) {
        failed = true;
        if (exceptionHandler != null) {
          exceptionHandler.handle(done.cause());
        }
      }
      if (drainPending && queued < maxQueued) {
        drainPending = false;
        if (drainHandler != null) {
          drainHandler.handle(null);
        }
      }
    });
    return written;
  }

  /** From the buffer's own memory, part by part (a chunk from the bus is a composite of several). */
  private void writeFully(Buffer data, long at) throws IOException {
    long position = at;
    for (ByteBuffer part : ((BufferInternal) data).getByteBuf().nioBuffers()) {
      while (part.hasRemaining()) {
        position += channel.write(part, position);
      }
    }
  }

  /** Ends (closes) also when the last write fails: the default would skip the end then, and leave the file open. */
  @Override
  public Future<Void> end(Buffer data) {
    write(data);
    return end();
  }

  @Override
  public Future<Void> end() {
    if (ended) {
      return Future.failedFuture(new IllegalStateException("writer of " + path + " already ended"));
    }
    ended = true;
    return last.transform(written -> worker.executeBlocking(() -> {
      channel.close();
      return null;
    }, false).recover(failure -> {
      FileReadStream.closeHere(channel, path);
      return Future.failedFuture(failure);
    }).compose(closed -> written.succeeded() ? Future.succeededFuture() : Future.failedFuture(written.cause())));
  }

  @Override
  public FileWriteStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public FileWriteStream setWriteQueueMaxSize(int maxSize) {
    this.maxQueued = maxSize;
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    boolean full = queued >= maxQueued;
    drainPending |= full;
    return full;
  }

  @Override
  public FileWriteStream drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
