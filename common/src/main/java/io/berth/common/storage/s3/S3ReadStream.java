package io.berth.common.storage.s3;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * An object's body (the SDK's reactive publisher) as a Vert.x stream on one context, with back-pressure: one buffer is
 * asked of S3 at a time, and only while the reader wants more, so a slow reader slows the download instead of
 * filling memory. The connection goes back to the pool when the body ends or fails, and when the reader lets go
 * before the end (unsets its handler, as a failed pipe does): the subscription is cancelled then.
 */
final class S3ReadStream implements ReadStream<Buffer>, Subscriber<ByteBuffer> {
  private final Context context;
  private final Deque<Buffer> queue = new ArrayDeque<>();
  private Subscription subscription;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean requested;
  private boolean ended;
  private Throwable failure;
  private boolean finished;
  private boolean emitting;
  private final long length;
  private long delivered;

  private S3ReadStream(Context context, long length) {
    this.context = context;
    this.length = length;
  }

  /** The stream of a zero-length range, which S3 cannot be asked for. */
  static S3ReadStream empty(Context context) {
    S3ReadStream stream = new S3ReadStream(context, 0);
    stream.ended = true;
    return stream;
  }

  /** {@code length}: the bytes asked for; an object that ends before them fails the stream rather than ending short. */
  static S3ReadStream of(Context context, Publisher<ByteBuffer> body, long length) {
    S3ReadStream stream = new S3ReadStream(context, length);
    body.subscribe(stream);
    return stream;
  }

  @Override
  public void onSubscribe(Subscription s) {
    context.runOnContext(v -> {
      subscription = s;
      if (finished) {
        s.cancel();
      } else {
        pump();
      }
    });
  }

  @Override
  public void onNext(ByteBuffer bytes) {
    byte[] copy = new byte[bytes.remaining()];
    bytes.get(copy);
    context.runOnContext(v -> {
      requested = false;
      queue.add(Buffer.buffer(copy));
      pump();
    });
  }

  @Override
  public void onError(Throwable t) {
    context.runOnContext(v -> {
      failure = SdkCalls.translate("", t);
      pump();
    });
  }

  @Override
  public void onComplete() {
    context.runOnContext(v -> {
      ended = true;
      pump();
    });
  }

  /** Delivers what the reader wants; a reader that asks for more from its handler is served by the loop already running. */
  private void pump() {
    if (emitting) {
      return;
    }
    emitting = true;
    try {
      while (!finished && demand > 0 && handler != null && !queue.isEmpty()) {
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        Buffer next = queue.poll();
        delivered += next.length();
        handler.handle(next);
      }
    } finally {
      emitting = false;
    }
    if (finished || !queue.isEmpty()) {
      return;
    }
    if (ended && failure == null && delivered < length) {
      failure = new EOFException("the object ended after " + delivered + " of the " + length + " bytes asked for");
    }
    if (failure != null) {
      finished = true;
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
    } else if (ended) {
      finished = true;
      if (endHandler != null) {
        endHandler.handle(null);
      }
    } else if (demand > 0 && handler != null && !requested && subscription != null) {
      requested = true;
      subscription.request(1);
    }
  }

  /** The reader let go before the end: nothing more is read, and the connection is released. */
  private void cancel() {
    if (!finished) {
      finished = true;
      queue.clear();
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }

  @Override
  public S3ReadStream exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  @Override
  public S3ReadStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler == null) {
      cancel();
    } else {
      // Later, not now: a reader sets its end and exception handlers after this one, and must not miss the end.
      context.runOnContext(v -> pump());
    }
    return this;
  }

  @Override
  public S3ReadStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public S3ReadStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public S3ReadStream fetch(long amount) {
    demand = amount == Long.MAX_VALUE || demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
    pump();
    return this;
  }

  @Override
  public S3ReadStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    if (endHandler != null && ended) {
      context.runOnContext(v -> pump());
    }
    return this;
  }
}
