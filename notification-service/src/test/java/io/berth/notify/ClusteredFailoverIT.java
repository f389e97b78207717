package io.berth.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two notification instances, each a JVM of its own on one Hazelcast cluster with this test's JVM (which publishes),
 * and the one delivering is killed (SIGKILL) while its request hangs: the other takes the event over once the dead
 * one's lease lapses, and delivers everything left. Only the event in flight at the kill arrives more than once.
 */
class ClusteredFailoverIT extends ReceiverTestBase {
  private static final Pattern LISTENING =
      Pattern.compile("notification status listening \\[addr: 127\\.0\\.0\\.1:(\\d+)]");
  private static final int EVENTS = 200;
  private static final int ANSWERED = 100;
  /** Several seconds: Hazelcast's time to live counts whole seconds (see ClaimTimings). */
  private static final long LEASE_MS = 4000;

  @Test
  void whenTheDeliveringInstanceIsKilledTheOtherDeliversTheRestAndOnlyTheEventInFlightTwice() throws Exception {
    String cluster = TestClusters.newName();
    int port = FreePorts.onLoopback();
    Vertx publisher = TestClusters.member(cluster, port, List.of(port))
        .await(60, TimeUnit.SECONDS);
    Map<String, ChildProcess> instances = new LinkedHashMap<>();
    WebClient client = WebClient.create(vertx);
    try {
      for (String name : List.of("one", "two")) {
        instances.put(name, ChildProcess.java(ClusteredNotificationProcess.class, config(name).toString(),
            cluster, Integer.toString(FreePorts.onLoopback()), Integer.toString(port), Long.toString(LEASE_MS),
            "50").start());
      }
      Map<String, Integer> statusPorts = new LinkedHashMap<>();
      for (Map.Entry<String, ChildProcess> instance : instances.entrySet()) {
        statusPorts.put(instance.getKey(), instance.getValue().awaitPort(LISTENING));
      }
      TestClusters.awaitConsumers(publisher, Addresses.EVENTS, 2);
      List<String> ids = IntStream.range(0, EVENTS).mapToObj(i -> TestEvents.newId()).toList();
      receiver.hangAfter(ANSWERED);

      ids.forEach(id -> publisher.eventBus().publish(Addresses.EVENTS,
          TestEvents.blob(id, RegistryEvent.PUSH, "team/app").json()));
      Receiver.Request inFlight = receiver.await(ANSWERED + 1).get(ANSWERED);
      String holder = inFlight.headers().get("X-Instance");
      // Its request times out after 4.5 s and is sent again: the claim outlived its 4 s lease, renewed while held.
      Receiver.Request retry = receiver.await(ANSWERED + 2).get(ANSWERED + 1);
      assertEquals(List.of(holder, inFlight.eventId()), List.of(retry.headers().get("X-Instance"), retry.eventId()));
      instances.get(holder).kill();
      instances.get(holder).awaitExit();
      receiver.answerAgain();

      receiver.await(list -> list.stream().map(Receiver.Request::eventId).collect(Collectors.toSet()).containsAll(ids));
      String survivor = holder.equals("one") ? "two" : "one";
      JsonObject status = Eventually.await(vertx, () -> client.get(statusPorts.get(survivor), "127.0.0.1",
          "/notifications").send().map(response -> response.bodyAsJsonObject().getJsonArray("endpoints")
          .getJsonObject(0)), endpoint -> endpoint.getLong("pending") == 0);
      // Its queue is empty: nothing more can come.
      List<Receiver.Request> requests = receiver.requests();

      List<String> received = requests.stream().map(Receiver.Request::eventId).toList();
      assertEquals(ids, received.stream().distinct().toList(), "every event, first seen in the order published");
      Map<String, Long> counts = received.stream().collect(Collectors.groupingBy(Function.identity(),
          Collectors.counting()));
      assertEquals(Set.of(inFlight.eventId()), counts.entrySet().stream().filter(entry -> entry.getValue() > 1)
          .map(Map.Entry::getKey).collect(Collectors.toSet()), "only the event in flight at the kill came twice");
      assertEquals(3, counts.get(inFlight.eventId()), "twice unanswered from the holder, then once from the survivor");
      List<String> afterKill = requests.subList(ANSWERED + 2, requests.size()).stream()
          .map(request -> request.headers().get("X-Instance")).distinct().toList();
      assertEquals(List.of(survivor), afterKill);
      assertEquals(requests.stream().filter(request -> survivor.equals(request.headers().get("X-Instance"))).count(),
          status.getLong("delivered"), status.encode());
      assertEquals(EVENTS, status.getLong("delivered") + status.getLong("skipped"), status.encode());
    } finally {
      client.close();
      instances.values().forEach(ChildProcess::close);
      publisher.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** An instance's configuration: its own storage root, the endpoint "ci" with a header naming the instance. */
  private Path config(String name) throws Exception {
    JsonObject endpoint = new JsonObject().put("name", "ci").put("url", receiver.url()).put("timeout", "4500ms")
        .put("threshold", 1).put("backoff", "100ms")
        .put("headers", new JsonObject().put("X-Instance", new JsonArray().add(name)));
    JsonObject config = new JsonObject()
        .put("version", "0.1")
        .put("log", new JsonObject().put("formatter", "text"))
        .put("storage", new JsonObject().put("filesystem", new JsonObject()
            .put("rootdirectory", root.resolve(name).toString())))
        .put("notifications", new JsonObject().put("endpoints", new JsonArray().add(endpoint))
            .put("status", new JsonObject().put("addr", "127.0.0.1:0")));
    // JSON is YAML: the process reads it as its config.yml.
    return Files.writeString(root.resolve(name + ".yml"), config.encodePrettily());
  }
}
