package io.berth.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sender that gives up on its receiver because no acknowledgement came within the write grace after a departure
 * must tell the receiver: the receiver may be alive, only slow, and it holds the upload session (and its cluster-wide
 * claim) until it hears an abort or goes idle, so the client's retry would be refused as "another request is writing"
 * for the whole idle limit. One clustered member: a clustered bus is what makes streams watch departures.
 */
class ChunkSenderGiveUpIT {
  private static final long IDLE_MS = 120_000;
  private Vertx vertx;

  @AfterEach
  void close() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSenderThatGivesUpOnASlowReceiverAbortsIt() throws Exception {
    int port = FreePorts.onLoopback();
    vertx = TestClusters.member(TestClusters.newName(), port, List.of(port)).await(60, TimeUnit.SECONDS);
    Promise<Void> aborted = Promise.promise();
    ChunkReceiver receiver = ChunkReceiver.open(vertx, new ChunkReceiver.Sink() {
      @Override
      public Future<Void> write(Buffer chunk) {
        return Promise.<Void>promise().future();
      }

      @Override
      public Future<JsonObject> finish() {
        return Future.succeededFuture(new JsonObject());
      }

      @Override
      public void abort() {
        aborted.tryComplete();
      }
    }, IDLE_MS).await(10, TimeUnit.SECONDS);
    BusRetry.memberLeft();
    Promise<ChunkSender> sending = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      ChunkSender sender = new ChunkSender(vertx, receiver.address());
      sender.write(Buffer.buffer(new byte[StreamOps.CHUNK_SIZE]));
      sending.complete(sender);
    });
    ChunkSender sender = sending.future().await(10, TimeUnit.SECONDS);

    RegistryException gone = assertThrows(RegistryException.class,
        () -> sender.result().await(BusRetry.WRITE_GRACE_MS + 5_000, TimeUnit.MILLISECONDS));
    assertEquals(ErrorCode.UNAVAILABLE, gone.errorCode(), gone::getMessage);

    aborted.future().await(5, TimeUnit.SECONDS);
  }
}
