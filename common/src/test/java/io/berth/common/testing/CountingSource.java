package io.berth.common.testing;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A source that emits {@code count} copies of one chunk as fast as its reader lets it, on one context, and can say
 * whether it is paused right now and how much it emitted: what back-pressure tests need to see.
 */
public final class CountingSource implements ReadStream<Buffer> {
  private final Context context;
  private final Buffer chunk;
  private final int count;
  private long demand = Long.MAX_VALUE;
  private int emitted;
  private boolean scheduled;
  private boolean ended;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;

  public CountingSource(Context context, Buffer chunk, int count) {
    this.context = context;
    this.chunk = chunk;
    this.count = count;
  }

  public boolean paused() {
    return demand == 0;
  }

  public int emitted() {
    return emitted;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> newHandler) {
    handler = newHandler;
    schedule();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> newHandler) {
    endHandler = newHandler;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> newHandler) {
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    demand = Long.MAX_VALUE - demand < amount ? Long.MAX_VALUE : demand + amount;
    schedule();
    return this;
  }

  /** Emits later, never from inside pause/resume, as a real stream does. */
  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(v -> {
        scheduled = false;
        emit();
      });
    }
  }

  private void emit() {
    while (handler != null && demand > 0 && emitted < count) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      emitted++;
      handler.handle(chunk.copy());
    }
    if (handler != null && emitted == count && !ended) {
      ended = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }
}
