package io.berth.common.bus;

import io.berth.common.bus.message.Empty;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The sending end of a byte stream over the event bus: a {@link WriteStream} that aggregates writes into chunks,
 * sends each as a request and reports itself full while its window of chunks await acknowledgement,
 * so a piped source is paused by a slow receiver and memory stays bounded.
 */
public final class ChunkSender implements WriteStream<Buffer> {
  private final EventBus bus;
  private final String address;
  private final DeliveryOptions dataOptions;
  private final DeliveryOptions endOptions;
  private final Promise<JsonObject> result = Promise.promise();
  private final List<ByteBuf> pending = new ArrayList<>();
  private final int window;
  private int pendingBytes;
  private int inFlight;
  private boolean ending;
  private boolean finished;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;
  /** The receiver's cluster node, from its first acknowledgement; null until then, and on a local bus. */
  private String peer;
  /** Set when the receiver may be on a member that left: the first request sent must be answered in time. */
  private boolean suspectReceiver;
  private boolean sentAny;
  private Vertx vertx;

  public ChunkSender(EventBus bus, String address) {
    this(bus, address, StreamOps.WINDOW);
  }

  /** A stream on {@code vertx}'s event bus, with the window that bus wants ({@link StreamOps#window}). */
  public ChunkSender(Vertx vertx, String address) {
    this(vertx.eventBus(), address, StreamOps.window(vertx));
    String node = LocalNode.id(vertx);
    if (node != null) {
      this.vertx = vertx;
      dataOptions.addHeader(StreamOps.NODE_HEADER, node);
      MessageConsumer<String> departures = bus.localConsumer(Addresses.MEMBER_LEFT, left -> memberLeft(left.body()));
      result.future().onComplete(done -> departures.unregister());
      // The receiver may sit on a member that just left, whose departure this stream never heard of.
      suspectReceiver = BusRetry.settling();
    }
  }

  /** {@code window}: chunks sent before the first acknowledgement is awaited ({@link StreamOps#window}). */
  public ChunkSender(EventBus bus, String address, int window) {
    this.bus = bus;
    this.address = address;
    this.window = window;
    this.dataOptions = options(StreamOps.DATA);
    this.endOptions = options(StreamOps.END);
  }

  /** How long a chunk may wait for its acknowledgement; {@link StreamOps#CHUNK_TIMEOUT_MS} unless a test says. */
  ChunkSender chunkTimeout(long ms) {
    dataOptions.setSendTimeout(ms);
    return this;
  }

  private static DeliveryOptions options(String op) {
    return new DeliveryOptions().setSendTimeout(StreamOps.CHUNK_TIMEOUT_MS).addHeader(StreamOps.HEADER, op);
  }

  /** The receiver's answer to the end of the stream. */
  public Future<JsonObject> result() {
    return result.future();
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    pending.add(((BufferInternal) data).getByteBuf());
    pendingBytes += data.length();
    if (pendingBytes >= StreamOps.CHUNK_SIZE) {
      sendPending();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    if (!ending && failure == null) {
      ending = true;
      sendPending();
      endIfDrained();
    }
    return result.future().mapEmpty();
  }

  /** Tells the receiver to drop what it has and fails this stream; the receiver never commits an aborted stream. */
  public void abort(Throwable cause) {
    if (!finished) {
      bus.send(address, null, options(StreamOps.ABORT));
    }
    fail(cause);
  }

  private void sendPending() {
    if (pendingBytes == 0) {
      return;
    }
    // A view over the written buffers, not a copy: the event bus copies a Buffer once on its way anyway.
    Buffer chunk = BufferInternal.buffer(Unpooled.wrappedBuffer(pending.toArray(new ByteBuf[0])));
    pending.clear();
    pendingBytes = 0;
    inFlight++;
    sending();
    bus.request(address, chunk, dataOptions).onComplete(ack -> {
      inFlight--;
      if (ack.succeeded() && peer == null) {
        peer = ack.result().headers().get(StreamOps.NODE_HEADER);
      }
      if (ack.failed()) {
        // Unanswered in time, the receiver may be alive and only slow: it holds its upload session until told.
        abort(ack.cause());
      } else if (ending) {
        endIfDrained();
      } else if (drainHandler != null && !writeQueueFull()) {
        drainHandler.handle(null);
      }
    });
  }

  private void endIfDrained() {
    if (inFlight > 0 || failure != null || finished) {
      return;
    }
    finished = true;
    sending();
    bus.<JsonObject>request(address, new Empty().toJson(), endOptions)
        .map(Message::body)
        .onSuccess(result::tryComplete)
        .onFailure(this::fail);
  }

  /**
   * The receiver's member left: the stream fails as retriable at once (the receiver never commits a stream it did not
   * see end). Before its first acknowledgement the receiver's member is unknown, so the receiver then gets
   * {@link BusRetry#WRITE_GRACE_MS} to answer what was sent.
   */
  private void memberLeft(String member) {
    if (failure != null || result.future().isComplete()) {
      return;
    }
    if (member.equals(peer)) {
      fail(gone());
    } else if (peer == null) {
      suspectReceiver = true;
      if (sentAny) {
        awaitAnswer();
      }
    }
  }

  private void sending() {
    boolean first = !sentAny;
    sentAny = true;
    if (first && suspectReceiver) {
      awaitAnswer();
    }
  }

  /**
   * Aborts the stream unless the receiver answered within the grace (an acknowledgement, or the end's result). The
   * receiver is told: it may be alive and only slow, and it holds the upload session until it hears an abort or goes
   * idle, refusing the client's retry meanwhile.
   */
  private void awaitAnswer() {
    vertx.setTimer(BusRetry.WRITE_GRACE_MS, id -> {
      if (peer == null && !result.future().isComplete()) {
        abort(gone());
      }
    });
  }

  private static RegistryException gone() {
    return new RegistryException(ErrorCode.UNAVAILABLE, "the registry instance receiving this upload left the cluster;"
        + " retry");
  }

  private void fail(Throwable cause) {
    if (failure != null) {
      return;
    }
    failure = BusErrors.asRegistryException(cause);
    result.tryFail(failure);
    if (exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
    if (drainHandler != null) {
      drainHandler.handle(null);
    }
  }

  @Override
  public boolean writeQueueFull() {
    return failure == null && inFlight >= window;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }
}
