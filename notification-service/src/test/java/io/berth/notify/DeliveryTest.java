package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.message.RegistryEvent;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Retries of the same event, success only on 2xx, endpoints independent of each other, counters over HTTP. */
class DeliveryTest extends ReceiverTestBase {
  @Test
  void aRefusedEventIsRetriedUntilTakenAndOnlyThenTheNextIsSent() throws Exception {
    receiver.answer(500);
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url())));
    String first = TestEvents.newId();
    String second = TestEvents.newId();

    notifications.publish(TestEvents.blob(first, RegistryEvent.PUSH, "team/app"));
    notifications.publish(TestEvents.blob(second, RegistryEvent.PUSH, "team/app"));
    receiver.await(3);
    receiver.answer(202);
    List<String> ids = receiver.await(list -> list.stream().anyMatch(r -> r.eventId().equals(second)))
        .stream().map(Receiver.Request::eventId).toList();

    assertEquals(second, ids.get(ids.size() - 1));
    assertTrue(ids.subList(0, ids.size() - 1).stream().allMatch(first::equals), ids.toString());
    // delivered is counted when the receiver answered, pending when the queue removal is written: await both.
    JsonObject status = notifications.awaitEndpoint("ci",
        endpoint -> endpoint.getLong("delivered") == 2 && endpoint.getLong("pending") == 0);
    assertEquals(ids.size() - 2, status.getLong("failed"));
    assertEquals(202, status.getInteger("lastStatus"));
    assertEquals("HTTP 500", status.getString("lastError"));
    assertEquals(0, status.getLong("pending"));
  }

  @Test
  void countersOverHttpShowPendingDeliveredFailedDroppedAndTheLastAnswer() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url())));
    JsonObject fresh = notifications.endpointStatus("ci");
    assertEquals(new JsonObject().put("name", "ci").put("pending", 0).put("maxEvents", 100_000).put("delivered", 0)
        .put("skipped", 0).put("failed", 0).put("dropped", 0).putNull("lastStatus").putNull("lastError")
        .putNull("lastErrorTime").putNull("lastSuccess"), fresh);
    Instant before = Instant.now();

    IntStream.range(0, 3).forEach(i -> notifications.publish(TestEvents.blob(TestEvents.newId(), "push", "a/b")));
    receiver.await(3);
    // delivered is counted when the receiver answered, pending when the queue removal is written: await both.
    JsonObject status = notifications.awaitEndpoint("ci",
        endpoint -> endpoint.getLong("delivered") == 3 && endpoint.getLong("pending") == 0);

    assertEquals(0, status.getLong("pending"));
    assertEquals(0, status.getLong("failed"));
    assertEquals(0, status.getLong("dropped"));
    assertEquals(200, status.getInteger("lastStatus"));
    assertNull(status.getString("lastError"));
    assertTrue(!Instant.parse(status.getString("lastSuccess")).isBefore(before.minusSeconds(1)), status.encode());
  }

  @Test
  void aRedirectIsNotFollowedAndCountsAsAFailedAttempt() throws Exception {
    receiver.answer(302);
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url())));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    receiver.await(2);
    JsonObject status = notifications.awaitEndpoint("ci", endpoint -> endpoint.getLong("failed") >= 2);

    assertEquals(302, status.getInteger("lastStatus"));
    assertEquals("HTTP 302: redirects are not followed", status.getString("lastError"));
    assertNotNull(status.getString("lastErrorTime"));
    assertEquals(0, status.getLong("delivered"));
    assertEquals(1, status.getLong("pending"));
  }

  @Test
  void anEndpointThatDoesNotAnswerTimesOutAndTheEventIsSentAgain() throws Exception {
    receiver.hang();
    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("ci", receiver.url()).put("timeout", "200ms")));
    String id = TestEvents.newId();

    notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app"));
    List<Receiver.Request> requests = receiver.await(2);
    JsonObject status = notifications.awaitEndpoint("ci", endpoint -> endpoint.getLong("failed") >= 1);

    assertEquals(List.of(id, id), requests.stream().limit(2).map(Receiver.Request::eventId).toList());
    assertTrue(status.getString("lastError").contains("Timeout"), status.encode());
    assertNull(status.getInteger("lastStatus"));
  }

  @Test
  void aHungAndADeadEndpointDoNotDelayAHealthyOne() throws Exception {
    Receiver hung = Receiver.start(vertx);
    Receiver dead = Receiver.start(vertx);
    hung.hang();
    dead.stop();
    try {
      notifications = RunningNotifications.start(vertx, root, endpoints(
          endpoint("hung", hung.url()).put("timeout", "30s"),
          endpoint("dead", dead.url()).put("backoff", "1s"),
          endpoint("healthy", receiver.url())));
      List<String> ids = IntStream.range(0, 10).mapToObj(i -> TestEvents.newId()).toList();

      ids.forEach(id -> notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app")));

      assertEquals(ids, receiver.await(10).stream().map(Receiver.Request::eventId).toList());
      assertEquals(List.of(ids.get(0)), hung.await(1).stream().map(Receiver.Request::eventId).toList());
      JsonObject healthy = notifications.awaitEndpoint("healthy",
          endpoint -> endpoint.getLong("delivered") == 10 && endpoint.getLong("pending") == 0);
      assertEquals(0, healthy.getLong("pending"));
      assertEquals(10, notifications.endpointStatus("hung").getLong("pending"));
      assertEquals(10, notifications.endpointStatus("dead").getLong("pending"));
    } finally {
      hung.close();
    }
  }
}
