package io.berth.common.storage;

import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.ReadStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code length} bytes of an open file from a position, read one chunk at a time on the storage workers as the
 * consumer asks for them. The stream closes its file itself: when the last byte is delivered, when a read fails, and
 * when the consumer lets go of it by unsetting its handler (what a Vert.x pipe does once it ended either way). An
 * {@code AsyncFile} does none of that, and Vert.x's pipe never closes its source, so every read cut short or even
 * read to its end used to leave its file open. Used from the context that opened it, as Vert.x streams are.
 */
final class FileReadStream implements ReadStream<Buffer> {
  private static final Logger LOG = LoggerFactory.getLogger(FileReadStream.class);

  private final Context context;
  private final WorkerExecutor worker;
  private final FileChannel channel;
  private final String path;
  private final int chunkSize;
  private long position;
  private long remaining;
  private long demand = Long.MAX_VALUE;
  private boolean reading;
  private boolean registering;
  private boolean closed;
  private boolean released;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  FileReadStream(Context context, WorkerExecutor worker, FileChannel channel, String path, long offset, long length,
      int chunkSize) {
    this.context = context;
    this.worker = worker;
    this.channel = channel;
    this.path = path;
    this.position = offset;
    this.remaining = length;
    this.chunkSize = chunkSize;
  }

  @Override
  public FileReadStream handler(Handler<Buffer> handler) {
    if (closed) {
      return this;
    }
    this.handler = handler;
    if (handler == null) {
      close();
    } else {
      readMore();
    }
    return this;
  }

  @Override
  public FileReadStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  @Override
  public FileReadStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public FileReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public FileReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public FileReadStream fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    readMore();
    return this;
  }

  private void readMore() {
    if (closed || reading || handler == null || demand == 0) {
      return;
    }
    reading = true;
    if (remaining == 0) {
      // Asynchronously, as every other event: a consumer may set its end handler after its data handler.
      context.runOnContext(v -> {
        reading = false;
        if (closed) {
          release();
        } else {
          end();
        }
      });
      return;
    }
    int size = (int) Math.min(chunkSize, remaining);
    long at = position;
    registering = true;
    worker.executeBlocking(() -> readChunk(at, size), false).onComplete(read -> {
      if (registering) {
        // The read finished before its listener was added, which then runs at once: inside the consumer's call that
        // asked for data, maybe before it set its end or exception handler. Its outcome waits for the next turn.
        context.runOnContext(v -> readDone(read));
      } else {
        readDone(read);
      }
    });
    registering = false;
  }

  private void readDone(AsyncResult<Buffer> read) {
    reading = false;
    if (closed) {
      release();
    } else if (read.failed()) {
      fail(read.cause());
    } else {
      deliver(read.result());
    }
  }

  private Buffer readChunk(long at, int size) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(size);
    while (bytes.hasRemaining()) {
      if (channel.read(bytes, at + bytes.position()) < 0) {
        throw new EOFException("file " + path + " ended at byte " + (at + bytes.position()) + ", before the "
            + remaining + " bytes asked for from byte " + at + " were read");
      }
    }
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes.array()));
  }

  private void deliver(Buffer chunk) {
    position += chunk.length();
    remaining -= chunk.length();
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    try {
      handler.handle(chunk);
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    readMore();
  }

  private void end() {
    Handler<Void> ended = endHandler;
    close();
    if (ended != null) {
      ended.handle(null);
    }
  }

  private void fail(Throwable failure) {
    Handler<Throwable> failed = exceptionHandler;
    close();
    if (failed != null) {
      failed.handle(failure);
    } else {
      LOG.warn("storage read failed, and its consumer does not listen [path: {}]: {}", path, failure.toString());
    }
  }

  /** Closes now, or once the read in flight returns: a channel is never closed under a read of its own. */
  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    handler = null;
    if (!reading) {
      release();
    }
  }

  private void release() {
    if (released) {
      return;
    }
    released = true;
    worker.executeBlocking(() -> {
      channel.close();
      return null;
    }, false).onFailure(failure -> closeHere(channel, path));
  }

  /** When the workers refused the close (closed with their last verticle): the file must not stay open anyway. */
  static void closeHere(FileChannel channel, String path) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.warn("closing a storage file failed [path: {}]: {}", path, e.getMessage());
    }
  }
}
