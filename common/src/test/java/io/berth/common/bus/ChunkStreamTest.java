package io.berth.common.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.CountingSource;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ChunkSender and ChunkReceiver against each other on a real local event bus. */
@ExtendWith(VertxExtension.class)
class ChunkStreamTest {
  private static final long IDLE_MS = 10_000;

  private Vertx vertx;
  private Context context;

  @BeforeEach
  void useVertx(Vertx fresh) {
    vertx = fresh;
    context = vertx.getOrCreateContext();
  }

  private ChunkReceiver open(ChunkReceiver.Sink sink, long idleMs) {
    return result(OnContext.run(context, () -> ChunkReceiver.open(vertx, sink, idleMs)));
  }

  @Test
  void twentyMebibytesPipedFromAFileArriveCompleteAndInOrder(@TempDir Path dir) throws IOException {
    Buffer bytes = TestBytes.random(20 * 1024 * 1024, 20);
    Path file = Files.write(dir.resolve("source"), bytes.getBytes());
    ChunkReceiver receiver = open(new DigestingSink(), IDLE_MS);

    JsonObject answer = result(OnContext.run(context, () -> {
      ChunkSender sender = new ChunkSender(vertx.eventBus(), receiver.address());
      return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
          .compose(source -> source.pipeTo(sender))
          .compose(v -> sender.result());
    }));

    assertEquals(new JsonObject().put("size", bytes.length()).put("sha256", TestBytes.sha256(bytes).hex()), answer);
    assertEquals(answer, result(receiver.done()));
  }

  @Test
  void aSlowSinkPausesThePipedSourceAndNeverHoldsMoreThanTheWindow() {
    HoldingSink sink = new HoldingSink();
    ChunkReceiver receiver = open(sink, IDLE_MS);
    CountingSource source = new CountingSource(context, Buffer.buffer(new byte[StreamOps.CHUNK_SIZE]), 24);
    ChunkSender sender = new ChunkSender(vertx.eventBus(), receiver.address());

    Future<Void> piped = OnContext.run(context, () -> source.pipeTo(sender));
    result(sink.windowFull.future());
    JsonObject whileHeld = result(OnContext.run(context, () -> Future.succeededFuture(new JsonObject()
        .put("held", sink.held.size()).put("full", sender.writeQueueFull())
        .put("paused", source.paused()).put("emitted", source.emitted()))));
    result(OnContext.run(context, sink::release));
    result(piped);

    assertEquals(new JsonObject().put("held", StreamOps.WINDOW).put("full", true).put("paused", true)
        .put("emitted", StreamOps.WINDOW), whileHeld);
    assertEquals(StreamOps.WINDOW, sink.maxHeld);
    assertEquals(24L * StreamOps.CHUNK_SIZE, sink.bytes);
    assertEquals(new JsonObject().put("bytes", 24L * StreamOps.CHUNK_SIZE), result(sender.result()));
  }

  @Test
  void abortRunsTheSinksAbortAndNeverItsFinish() {
    RecordingSink sink = new RecordingSink(chunk -> Future.succeededFuture());
    ChunkReceiver receiver = open(sink, IDLE_MS);
    ChunkSender sender = new ChunkSender(vertx.eventBus(), receiver.address());

    result(OnContext.run(context, () -> {
      sender.write(Buffer.buffer(new byte[StreamOps.CHUNK_SIZE]));
      sender.abort(new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "client went away"));
      return Future.succeededFuture();
    }));

    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, receiver.done());
    result(sink.aborted.future());
    assertEquals(1, sink.aborts);
    assertEquals(0, sink.finishes);
    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, sender.result());
  }

  @Test
  void aFailingSinkWriteFailsTheSendersResultWithTheSinksError() {
    RecordingSink sink = new RecordingSink(
        chunk -> Future.failedFuture(new RegistryException(ErrorCode.SIZE_INVALID, "disk full")));
    ChunkReceiver receiver = open(sink, IDLE_MS);

    RegistryException error = failsWith(ErrorCode.SIZE_INVALID,
        ChunkStreams.send(vertx, receiver.address(), List.of(Buffer.buffer("some bytes"))));

    assertEquals("disk full", error.getMessage());
    failsWith(ErrorCode.SIZE_INVALID, receiver.done());
    result(sink.aborted.future());
    assertEquals(1, sink.aborts);
    assertEquals(0, sink.finishes);
  }

  @Test
  void anEmptyStreamFinishesOnceWithTheSinksAnswer() {
    RecordingSink sink = new RecordingSink(chunk -> Future.succeededFuture());
    ChunkReceiver receiver = open(sink, IDLE_MS);

    JsonObject answer = result(ChunkStreams.send(vertx, receiver.address(), List.of()));

    assertEquals(new JsonObject().put("writes", 0), answer);
    assertEquals(1, sink.finishes);
    assertEquals(answer, result(receiver.done()));
  }

  @Test
  void anIdleReceiverAbortsItselfAndUnregistersItsAddress() {
    RecordingSink sink = new RecordingSink(chunk -> Future.succeededFuture());
    ChunkReceiver receiver = open(sink, 100);

    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, receiver.done());
    result(sink.aborted.future());

    Throwable late = failure(vertx.eventBus().request(receiver.address(), Buffer.buffer("late"),
        new DeliveryOptions().addHeader(StreamOps.HEADER, StreamOps.DATA)));
    assertEquals(ReplyFailure.NO_HANDLERS, assertInstanceOf(ReplyException.class, late).failureType());
    assertEquals(1, sink.aborts);
    assertEquals(0, sink.finishes);
  }

  /**
   * A stream whose sender will never send (the request that was to start it failed) is cancelled: its address goes
   * at once, not at the idle limit, and a sink that got nothing is left alone for the caller to answer.
   */
  @Test
  void aCancelledReceiverUnregistersAtOnceAndLeavesAnUntouchedSinkAlone() {
    RecordingSink sink = new RecordingSink(chunk -> Future.succeededFuture());
    ChunkReceiver receiver = open(sink, IDLE_MS);

    OnContext.run(context, () -> {
      receiver.cancel(new RegistryException(ErrorCode.BLOB_UNKNOWN, "no such blob"));
      return Future.succeededFuture();
    });

    failsWith(ErrorCode.BLOB_UNKNOWN, receiver.done());
    Throwable late = failure(vertx.eventBus().request(receiver.address(), Buffer.buffer("late"),
        new DeliveryOptions().addHeader(StreamOps.HEADER, StreamOps.DATA)));
    assertEquals(ReplyFailure.NO_HANDLERS, assertInstanceOf(ReplyException.class, late).failureType());
    assertEquals(0, sink.aborts);
    assertEquals(0, sink.finishes);
  }

  @Test
  void aCancelledReceiverThatGotBytesAbortsItsSink() {
    RecordingSink sink = new RecordingSink(chunk -> Future.succeededFuture());
    ChunkReceiver receiver = open(sink, IDLE_MS);
    result(vertx.eventBus().request(receiver.address(), Buffer.buffer("first"),
        new DeliveryOptions().addHeader(StreamOps.HEADER, StreamOps.DATA)));

    OnContext.run(context, () -> {
      receiver.cancel(new RegistryException(ErrorCode.UNAVAILABLE, "the read failed"));
      return Future.succeededFuture();
    });

    failsWith(ErrorCode.UNAVAILABLE, receiver.done());
    result(sink.aborted.future());
    assertEquals(1, sink.aborts);
  }

  /** A receiver that never acknowledges is told to abort when the sender gives up, not left until its idle limit. */
  @Test
  void aSenderThatGivesUpOnAnUnansweredChunkAbortsTheReceiver() {
    RecordingSink sink = new RecordingSink(chunk -> Promise.<Void>promise().future());
    ChunkReceiver receiver = open(sink, IDLE_MS);
    long started = System.currentTimeMillis();

    Throwable gaveUp = failure(OnContext.run(context, () -> {
      ChunkSender sender = new ChunkSender(vertx.eventBus(), receiver.address(), 1).chunkTimeout(200);
      sender.write(Buffer.buffer(new byte[StreamOps.CHUNK_SIZE]));
      return sender.result();
    }));

    assertInstanceOf(RegistryException.class, gaveUp);
    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, receiver.done());
    result(sink.aborted.future());
    assertTrue(System.currentTimeMillis() - started < IDLE_MS / 2, "the receiver waited for its idle limit");
  }

  /** Hashes what arrives, in arrival order. */
  private static final class DigestingSink implements ChunkReceiver.Sink {
    private final MessageDigest digest = TestBytes.sha256();
    private long size;

    @Override
    public Future<Void> write(Buffer chunk) {
      digest.update(chunk.getBytes());
      size += chunk.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> finish() {
      return Future.succeededFuture(
          new JsonObject().put("size", size).put("sha256", HexFormat.of().formatHex(digest.digest())));
    }

    /** An aborted stream fails done() and the sender's result, which the tests await; nothing to undo here. */
    @Override
    public void abort() {
    }
  }

  /** Holds every write unacknowledged until released; afterwards acknowledges each write one turn later. */
  private final class HoldingSink implements ChunkReceiver.Sink {
    private final Deque<Promise<Void>> held = new ArrayDeque<>();
    private final Promise<Void> windowFull = Promise.promise();
    private boolean releasing;
    private int maxHeld;
    private long bytes;

    @Override
    public Future<Void> write(Buffer chunk) {
      bytes += chunk.length();
      Promise<Void> written = Promise.promise();
      held.add(written);
      maxHeld = Math.max(maxHeld, held.size());
      if (held.size() == StreamOps.WINDOW) {
        windowFull.tryComplete();
      }
      if (releasing) {
        context.runOnContext(v -> acknowledge(written));
      }
      return written.future();
    }

    private void acknowledge(Promise<Void> written) {
      held.remove(written);
      written.complete();
    }

    Future<Void> release() {
      releasing = true;
      List.copyOf(held).forEach(this::acknowledge);
      return Future.succeededFuture();
    }

    @Override
    public Future<JsonObject> finish() {
      return Future.succeededFuture(new JsonObject().put("bytes", bytes));
    }

    /** An aborted stream fails done() and the sender's result, which the tests await; nothing to undo here. */
    @Override
    public void abort() {
    }
  }

  /** Writes as told, and counts how often the stream finished or was aborted. */
  private static final class RecordingSink implements ChunkReceiver.Sink {
    private final Function<Buffer, Future<Void>> writes;
    private final Promise<Void> aborted = Promise.promise();
    private int written;
    private int finishes;
    private int aborts;

    RecordingSink(Function<Buffer, Future<Void>> writes) {
      this.writes = writes;
    }

    @Override
    public Future<Void> write(Buffer chunk) {
      written++;
      return writes.apply(chunk);
    }

    @Override
    public Future<JsonObject> finish() {
      finishes++;
      return Future.succeededFuture(new JsonObject().put("writes", written));
    }

    @Override
    public void abort() {
      aborts++;
      aborted.tryComplete();
    }
  }
}
