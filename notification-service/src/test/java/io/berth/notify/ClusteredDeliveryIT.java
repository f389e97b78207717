package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two notification instances on one Hazelcast cluster (two clustered Vert.x in this JVM, each with a queue directory
 * of its own) both queue every event, and the endpoint still gets each event once, in the order published.
 */
class ClusteredDeliveryIT extends ReceiverTestBase {
  private static final int EVENTS = 200;

  @Test
  void twoInstancesDeliverEachEventOnceAndInOrder() throws Exception {
    String cluster = TestClusters.newName();
    int portA = FreePorts.onLoopback();
    int portB = FreePorts.onLoopback();
    Vertx a = TestClusters.member(cluster, portA, List.of(portA)).await(60, TimeUnit.SECONDS);
    Vertx b = null;
    try {
      b = TestClusters.member(cluster, portB, List.of(portA)).await(60, TimeUnit.SECONDS);
      RunningNotifications onA = RunningNotifications.start(a, root.resolve("a"), instanceEndpoint("a"));
      RunningNotifications onB = RunningNotifications.start(b, root.resolve("b"), instanceEndpoint("b"));
      TestClusters.awaitConsumers(a, Addresses.EVENTS, 2);
      List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> TestEvents.newId()).toList();

      ids.forEach(id -> onA.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app")));
      receiver.await(EVENTS);
      // Once both queues are empty no instance can send anything more: what arrived by then is all there is.
      JsonObject statusA = onA.awaitEndpoint("ci", endpoint -> endpoint.getLong("pending") == 0);
      JsonObject statusB = onB.awaitEndpoint("ci", endpoint -> endpoint.getLong("pending") == 0);
      List<Receiver.Request> requests = receiver.requests();

      assertEquals(ids, requests.stream().map(Receiver.Request::eventId).toList());
      assertEquals(sentBy("a", requests), statusA.getLong("delivered"));
      assertEquals(sentBy("b", requests), statusB.getLong("delivered"));
      assertEquals(EVENTS, statusA.getLong("delivered") + statusA.getLong("skipped"), statusA.encode());
      assertEquals(EVENTS, statusB.getLong("delivered") + statusB.getLong("skipped"), statusB.encode());
      assertEquals(0, statusA.getLong("failed") + statusB.getLong("failed"));
      onB.close();
      onA.close();
    } finally {
      if (b != null) {
        b.close().await(30, TimeUnit.SECONDS);
      }
      a.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The endpoint "ci", with a header naming the instance that sends. */
  private JsonObject instanceEndpoint(String instance) {
    return endpoints(endpoint("ci", receiver.url())
        .put("headers", new JsonObject().put("X-Instance", new JsonArray().add(instance))));
  }

  private static long sentBy(String instance, List<Receiver.Request> requests) {
    return requests.stream().filter(request -> instance.equals(request.headers().get("X-Instance"))).count();
  }
}
