package io.berth.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A member that dies with requests in flight: its consumer took them and will never answer, as a SIGKILLed process's
 * would not. Three real clustered members on loopback (the caller, a survivor, the one that dies); the dying one's
 * Hazelcast is terminated without leaving, which closes its connections as a crash does. The caller and the survivor
 * are started once and shared; each test starts a member of its own to kill, and uses addresses of its own, so that
 * no test sees another's consumers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MemberDepartureFailoverIT {
  private static final RequestInfo CLIENT = new RequestInfo("req-1", "127.0.0.1:5000", "registry", "GET", "test",
      "alice");
  private static final AtomicInteger TESTS = new AtomicInteger();
  private static final long SEND_TIMEOUT_MS = 25_000;
  /** Far below the send timeout: an answer this soon came from the survivor, not from a timeout. */
  private static final long ANSWERED_WITHIN_MS = 10_000;
  /**
   * A write, or a stream, the dead member took is failed at most the write grace after the departure is known; still
   * far below the send timeout, the 60 s chunk timeout and the 120 s stream idle limit it would otherwise wait.
   */
  private static final long GIVEN_UP_WITHIN_MS = BusRetry.WRITE_GRACE_MS + 5_000;

  private final List<MessageConsumer<?>> survivorConsumers = new ArrayList<>();
  private String name;
  private List<Integer> ports;
  private Vertx caller;
  private Vertx survivor;
  private Vertx dying;
  /** This test's address for requests both the survivor and the dying member consume. */
  private String address;

  @BeforeAll
  void cluster() throws Exception {
    name = TestClusters.newName();
    ports = TestClusters.freePorts(2);
    Future<Vertx> first = TestClusters.member(name, ports.get(0), ports);
    Future<Vertx> second = TestClusters.member(name, ports.get(1), ports);
    caller = first.await(60, TimeUnit.SECONDS);
    survivor = second.await(60, TimeUnit.SECONDS);
  }

  @BeforeEach
  void memberToKill() throws Exception {
    address = "test.failover.read." + TESTS.incrementAndGet();
    List<Integer> joining = new ArrayList<>(ports);
    joining.add(FreePorts.onLoopback());
    dying = TestClusters.member(name, joining.get(2), joining).await(60, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeKilled() throws Exception {
    for (MessageConsumer<?> consumer : survivorConsumers) {
      consumer.unregister().await(10, TimeUnit.SECONDS);
    }
    survivorConsumers.clear();
    close(dying);
  }

  @AfterAll
  void closeShared() {
    close(caller);
    close(survivor);
  }

  private static void close(Vertx member) {
    try {
      member.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The terminated member's Vert.x may not close cleanly; the test's outcome is already decided.
    }
  }

  /** A consumer on the survivor, unregistered after the test. */
  private void onSurvivor(String at, String by) throws Exception {
    MessageConsumer<JsonObject> consumer = survivor.eventBus().<JsonObject>consumer(at,
        message -> message.reply(new JsonObject().put("by", by)));
    consumer.completion().await(10, TimeUnit.SECONDS);
    survivorConsumers.add(consumer);
  }

  /** Registers the survivor's answering consumer and the dying member's silent one; returns when one request is taken. */
  private Future<Void> consumers() throws Exception {
    onSurvivor(address, "survivor");
    Promise<Void> taken = Promise.promise();
    dying.eventBus().<JsonObject>consumer(address, message -> taken.tryComplete()).completion()
        .await(10, TimeUnit.SECONDS);
    TestClusters.awaitConsumers(caller, address, 2);
    return taken.future();
  }

  private void crash(Vertx member) {
    ((HazelcastClusterManager) ((VertxInternal) member).clusterManager()).getHazelcastInstance()
        .getLifecycleService().terminate();
  }

  @Test
  void anIdempotentRequestInFlightToAMemberThatDiesIsAnsweredByAnotherWellBeforeItsTimeout() throws Exception {
    Future<Void> taken = consumers();
    BusClient client = new BusClient(caller.eventBus(), SEND_TIMEOUT_MS, Metrics.disabled());
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(client.requestIdempotent(address, new JsonObject(), CLIENT));
    }
    taken.await(10, TimeUnit.SECONDS);
    long start = System.nanoTime();

    crash(dying);

    for (Future<JsonObject> answer : answers) {
      assertEquals("survivor", answer.await(ANSWERED_WITHIN_MS, TimeUnit.MILLISECONDS).getString("by"));
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMs < ANSWERED_WITHIN_MS, "answered " + tookMs + " ms after the crash");
  }

  @Test
  void aWriteInFlightToAMemberThatDiesFailsAsRetriableWellBeforeItsTimeout() throws Exception {
    Future<Void> taken = consumers();
    BusClient client = new BusClient(caller.eventBus(), SEND_TIMEOUT_MS, Metrics.disabled());
    List<Future<JsonObject>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(client.request(address, new JsonObject(), CLIENT));
    }
    taken.await(10, TimeUnit.SECONDS);

    crash(dying);

    int unavailable = 0;
    for (Future<JsonObject> answer : answers) {
      try {
        assertEquals("survivor", answer.await(GIVEN_UP_WITHIN_MS, TimeUnit.MILLISECONDS).getString("by"));
      } catch (RegistryException e) {
        assertEquals(ErrorCode.UNAVAILABLE, e.errorCode(), e::getMessage);
        unavailable++;
      }
    }
    assertTrue(unavailable >= 1, "the write the dead member took failed");
  }

  @Test
  void anIdempotentRequestNobodyServesYetIsAnsweredByAnInstanceThatRegistersWithinTheWindow() throws Exception {
    BusClient client = new BusClient(caller.eventBus(), SEND_TIMEOUT_MS, Metrics.disabled());
    String late = address + ".late";

    Future<JsonObject> answer = client.requestIdempotent(late, new JsonObject(), CLIENT);
    onSurvivor(late, "late");

    assertEquals("late", answer.await(ANSWERED_WITHIN_MS, TimeUnit.MILLISECONDS).getString("by"));
  }

  /** A sink that takes the first chunk and never finishes writing the next: a stream left hanging mid-way. */
  private static ChunkReceiver.Sink hangingAfterFirstChunk(Promise<Void> firstWritten) {
    return new ChunkReceiver.Sink() {
      private int writes;

      @Override
      public Future<Void> write(Buffer chunk) {
        if (writes++ == 0) {
          firstWritten.tryComplete();
          return Future.succeededFuture();
        }
        return Promise.<Void>promise().future();
      }

      @Override
      public Future<JsonObject> finish() {
        return Future.succeededFuture(new JsonObject());
      }

      @Override
      public void abort() {
      }
    };
  }

  private static Future<JsonObject> sendTwoChunks(Vertx from, String address) {
    return OnContext.run(from, () -> {
      ChunkSender sender = new ChunkSender(from, address);
      sender.write(Buffer.buffer(new byte[StreamOps.CHUNK_SIZE]));
      sender.write(Buffer.buffer(new byte[StreamOps.CHUNK_SIZE]));
      return sender.result();
    });
  }

  @Test
  void aStreamWhoseReceiverDiesFailsAsUnavailableWellBeforeItsChunkTimeout() throws Exception {
    Promise<Void> firstWritten = Promise.promise();
    String receiving = OnContext.run(dying, () -> ChunkReceiver.open(dying, hangingAfterFirstChunk(firstWritten),
        120_000)).map(ChunkReceiver::address).await(10, TimeUnit.SECONDS);
    Future<JsonObject> sent = sendTwoChunks(caller, receiving);
    firstWritten.future().await(10, TimeUnit.SECONDS);

    crash(dying);

    RegistryException failure = assertInstanceOf(RegistryException.class, assertThrows(Exception.class,
        () -> sent.await(GIVEN_UP_WITHIN_MS, TimeUnit.MILLISECONDS)));
    assertEquals(ErrorCode.UNAVAILABLE, failure.errorCode(), failure::getMessage);
  }

  @Test
  void aStreamWhoseSenderDiesIsAbortedWellBeforeItsIdleLimit() throws Exception {
    Promise<Void> firstWritten = Promise.promise();
    ChunkReceiver receiver = OnContext.run(caller, () -> ChunkReceiver.open(caller,
        hangingAfterFirstChunk(firstWritten), 120_000)).await(10, TimeUnit.SECONDS);
    sendTwoChunks(dying, receiver.address());
    firstWritten.future().await(10, TimeUnit.SECONDS);

    crash(dying);

    RegistryException failure = assertInstanceOf(RegistryException.class, assertThrows(Exception.class,
        () -> receiver.done().await(GIVEN_UP_WITHIN_MS, TimeUnit.MILLISECONDS)));
    assertEquals(ErrorCode.UNAVAILABLE, failure.errorCode(), failure::getMessage);
  }

  /**
   * A write to the process that owns an upload session, taken by that process just before it died: it reached nobody
   * who will answer, so it goes to the shared address at once rather than failing after the write grace.
   */
  @Test
  void aSessionWriteInFlightToItsOwnerThatDiesIsAnsweredAtTheSharedAddress() throws Exception {
    String shared = address + ".session";
    onSurvivor(shared, "shared");
    String owner = Addresses.uploadOwner(UploadIds.processId(dying));
    Promise<Void> taken = Promise.promise();
    dying.eventBus().<JsonObject>consumer(owner, message -> taken.tryComplete()).completion()
        .await(10, TimeUnit.SECONDS);
    TestClusters.awaitConsumers(caller, owner, 1);
    TestClusters.awaitConsumers(caller, shared, 1);
    BusClient client = new BusClient(caller.eventBus(), SEND_TIMEOUT_MS, Metrics.disabled());
    Future<JsonObject> answer = client.request(owner, shared, new JsonObject(), CLIENT);
    taken.future().await(10, TimeUnit.SECONDS);
    long start = System.nanoTime();

    crash(dying);

    assertEquals("shared", answer.await(ANSWERED_WITHIN_MS, TimeUnit.MILLISECONDS).getString("by"));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(tookMs < BusRetry.WRITE_GRACE_MS, "answered " + tookMs + " ms after the crash");
  }
}
