package io.berth.common.testing;

import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.ChunkSender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Both ends of the bus byte-stream protocol, for tests that send a few buffers or collect a whole stream. */
public final class ChunkStreams {
  private ChunkStreams() {
  }

  /** Sends the parts in order to a receiver's address, ends the stream and answers the receiver's result. */
  public static Future<JsonObject> send(Vertx vertx, String address, List<Buffer> parts) {
    return OnContext.run(vertx, () -> {
      ChunkSender sender = new ChunkSender(vertx.eventBus(), address);
      parts.forEach(sender::write);
      return sender.end().compose(v -> sender.result());
    });
  }

  /** A sink that keeps every byte in memory and finishes with the count. */
  public static final class Collecting implements ChunkReceiver.Sink {
    private final Buffer bytes = Buffer.buffer();
    private boolean aborted;

    @Override
    public Future<Void> write(Buffer chunk) {
      bytes.appendBuffer(chunk);
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> finish() {
      return Future.succeededFuture(new JsonObject().put("size", bytes.length()));
    }

    @Override
    public void abort() {
      aborted = true;
    }

    public boolean aborted() {
      return aborted;
    }

    public Buffer bytes() {
      return bytes;
    }
  }
}
