package io.berth.common.bus;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The receiving end of a byte stream over the event bus: registers a fresh address, writes each chunk to a
 * {@link Sink} and acknowledges it only once the sink has taken it. A stream that goes quiet for longer than the
 * idle limit is aborted, so a vanished sender never leaks a consumer or an open file.
 */
public final class ChunkReceiver {
  /** Where the bytes go. {@code finish} runs once after the last chunk was written; {@code abort} drops everything. */
  public interface Sink {
    Future<Void> write(Buffer chunk);

    Future<JsonObject> finish();

    void abort();
  }

  private final Vertx vertx;
  private final Sink sink;
  private final long idleMs;
  private final Promise<JsonObject> done = Promise.promise();
  private MessageConsumer<Object> consumer;
  private long lastActivity = System.nanoTime();
  private long timer;
  private Future<Void> lastWrite = Future.succeededFuture();
  private boolean closed;
  /** This process's cluster node, sent with each acknowledgement; null on a local bus. */
  private String node;
  /** The sender's cluster node, from its first chunk. */
  private String peer;
  private boolean started;
  private MessageConsumer<String> departures;

  private ChunkReceiver(Vertx vertx, Sink sink, long idleMs) {
    this.vertx = vertx;
    this.sink = sink;
    this.idleMs = idleMs;
  }

  /** Opens a receiver; the returned future completes once its address is reachable (cluster-wide when clustered). */
  public static Future<ChunkReceiver> open(Vertx vertx, Sink sink, long idleMs) {
    ChunkReceiver receiver = new ChunkReceiver(vertx, sink, idleMs);
    receiver.consumer = vertx.eventBus().consumer(Addresses.newStreamAddress(), receiver::handle);
    receiver.timer = vertx.setPeriodic(Math.max(1, idleMs / 2), id -> receiver.checkIdle());
    receiver.node = LocalNode.id(vertx);
    if (receiver.node != null) {
      // A sender whose member died sends nothing more: give up now, not at the idle limit, so that an upload's
      // session is free for the client's next attempt through another gateway.
      receiver.departures = vertx.eventBus().localConsumer(Addresses.MEMBER_LEFT, left -> {
        if (left.body().equals(receiver.peer)) {
          receiver.abort(new RegistryException(ErrorCode.UNAVAILABLE, "the sender's cluster member left"));
        }
      });
    }
    return receiver.consumer.completion().map(receiver);
  }

  public String address() {
    return consumer.address();
  }

  /** Completes with the sink's result when the stream ended, fails when it was aborted or went idle. */
  public Future<JsonObject> done() {
    return done.future();
  }

  /**
   * Stops waiting for a stream its sender will not send, or not finish (the request that was to start it failed): the
   * address goes now, not at the idle limit. A sink that got no byte is left for the caller to answer the failure
   * with; one that got bytes is aborted.
   */
  public void cancel(Throwable cause) {
    if (started || closed) {
      abort(cause);
    } else {
      close();
      done.tryFail(cause);
    }
  }

  private void handle(Message<Object> message) {
    lastActivity = System.nanoTime();
    String op = message.headers().get(StreamOps.HEADER);
    if (closed) {
      BusErrors.fail(message, new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "stream already closed"));
    } else if (StreamOps.DATA.equals(op) && message.body() instanceof Buffer chunk) {
      if (!started) {
        started = true;
        peer = message.headers().get(StreamOps.NODE_HEADER);
      }
      lastWrite = sink.write(chunk);
      lastWrite.onComplete(written -> {
        if (written.succeeded()) {
          message.reply(null, node == null ? new DeliveryOptions()
              : new DeliveryOptions().addHeader(StreamOps.NODE_HEADER, node));
        } else {
          BusErrors.fail(message, written.cause());
          abort(written.cause());
        }
      });
    } else if (StreamOps.END.equals(op)) {
      close();
      lastWrite.compose(v -> sink.finish()).onComplete(finished -> {
        if (finished.succeeded()) {
          message.reply(finished.result());
          done.tryComplete(finished.result());
        } else {
          BusErrors.fail(message, finished.cause());
          done.tryFail(finished.cause());
        }
      });
    } else {
      abort(new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "stream aborted by the sender"));
    }
  }

  private void checkIdle() {
    if (System.nanoTime() - lastActivity > idleMs * 1_000_000L) {
      abort(new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "stream went idle"));
    }
  }

  private void abort(Throwable cause) {
    if (!closed) {
      close();
      sink.abort();
    }
    done.tryFail(cause);
  }

  private void close() {
    closed = true;
    vertx.cancelTimer(timer);
    consumer.unregister();
    if (departures != null) {
      departures.unregister();
    }
  }
}
