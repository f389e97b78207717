package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.notify.queue.DurableQueue;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue on disk across a restart: events accepted while an endpoint is down are kept, survive the service being
 * undeployed and a new one started on the same directory, and arrive exactly once per endpoint, in order, when the
 * endpoint is back. Past {@code maxevents} the oldest are dropped, counted and logged.
 */
@ExtendWith(VertxExtension.class)
class DurableQueueTest {
  @TempDir
  Path root;

  private Vertx vertx;
  private Receiver ci;
  private Receiver audit;
  private RunningNotifications notifications;

  @BeforeEach
  void startReceivers(Vertx vertx) throws Exception {
    this.vertx = vertx;
    ci = Receiver.start(vertx);
    audit = Receiver.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    notifications.close();
    ci.close();
    audit.close();
  }

  private static List<String> ids(List<Receiver.Request> requests) {
    return requests.stream().map(Receiver.Request::eventId).toList();
  }

  @Test
  void eventsQueuedWhileEndpointsAreDownSurviveARestartAndArriveOnceEachInOrder() throws Exception {
    ci.stop();
    audit.stop();
    notifications = RunningNotifications.start(vertx, root, endpoints(
        endpoint("ci", ci.url()),
        endpoint("audit", audit.url()).put("format", "v2")));
    List<String> ids = IntStream.range(0, 30).mapToObj(i -> TestEvents.newId()).toList();

    ids.forEach(id -> notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app")));
    notifications.awaitEndpoint("ci", endpoint -> endpoint.getLong("pending") == 30 && endpoint.getLong("failed") > 0);
    notifications.awaitEndpoint("audit", endpoint -> endpoint.getLong("pending") == 30);
    notifications.restart();
    JsonObject recovered = notifications.endpointStatus("ci");
    ci.restart();
    audit.restart();

    assertEquals(30, recovered.getLong("pending"));
    assertEquals(0, recovered.getLong("delivered"));
    assertEquals(ids, ids(ci.await(30)));
    assertEquals(ids, ids(audit.await(30)));
    String marker = TestEvents.newId();
    notifications.publish(TestEvents.blob(marker, RegistryEvent.PUSH, "team/app"));
    assertEquals(31, ci.await(list -> ids(list).contains(marker)).size());
    assertEquals(31, audit.await(list -> ids(list).contains(marker)).size());
    // pending is written after delivered is counted (when the queue removal is on disk): await both.
    assertEquals(0, notifications.awaitEndpoint("ci",
        endpoint -> endpoint.getLong("delivered") == 31 && endpoint.getLong("pending") == 0).getLong("pending"));
  }

  @Test
  void aRestartAfterDeliveryDoesNotSendDeliveredEventsAgain() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", ci.url())));
    List<String> ids = IntStream.range(0, 5).mapToObj(i -> TestEvents.newId()).toList();
    ids.forEach(id -> notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app")));
    ci.await(5);
    notifications.awaitEndpoint("ci", endpoint -> endpoint.getLong("delivered") == 5);

    notifications.restart();
    String next = TestEvents.newId();
    notifications.publish(TestEvents.blob(next, RegistryEvent.PUSH, "team/app"));

    List<String> received = ids(ci.await(list -> ids(list).contains(next)));
    assertEquals(Stream.concat(ids.stream(), Stream.of(next)).toList(), received);
    assertEquals(0, notifications.awaitEndpoint("ci",
        endpoint -> endpoint.getLong("delivered") == 1 && endpoint.getLong("pending") == 0).getLong("pending"));
  }

  @Test
  void pastMaxEventsTheOldestAreDroppedCountedLoggedAndTheNewestDelivered() throws Exception {
    ci.stop();
    try (LogCapture log = new LogCapture()) {
      notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", ci.url()).put("backoff", "1h"))
          .put("queue", new JsonObject().put("maxevents", 3)));
      List<String> ids = IntStream.range(0, 10).mapToObj(i -> TestEvents.newId()).toList();

      ids.forEach(id -> notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app")));
      ILoggingEvent warning = log.await(event -> event.getFormattedMessage().contains("dropped since start: 7"));
      JsonObject status = notifications.awaitEndpoint("ci", endpoint -> endpoint.getLong("dropped") == 7);

      assertEquals(Level.WARN, warning.getLevel());
      assertTrue(warning.getFormattedMessage().contains("[endpoint: ci,"), warning.getFormattedMessage());
      assertEquals(3, status.getLong("pending"));
      assertEquals(3, status.getLong("maxEvents"));
      ci.restart();
      notifications.restart();
      assertEquals(ids.subList(7, 10), ids(ci.await(3)));
    }
  }

  @Test
  void aSecondServiceOnTheSameQueueDirectoryQueuesInAnInstanceDirectoryOfItsOwn() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("audit", audit.url())));
    Path queues = root.resolve("notifications");
    List<Path> first = instanceDirectories(queues);

    try (RunningNotifications second = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", ci.url())))) {
      List<Path> both = instanceDirectories(queues);
      assertEquals(2, both.size(), both.toString());
      assertTrue(both.containsAll(first), both.toString());
      assertTrue(Files.isDirectory(first.get(0).resolve("audit")));
      Path own = both.stream().filter(directory -> !first.contains(directory)).findFirst().orElseThrow();
      assertTrue(Files.isDirectory(own.resolve("ci")));

      second.restart();
      assertEquals(both, instanceDirectories(queues), "the restarted service takes its free directory again");
    }
  }

  @Test
  void aServiceThatFailsToStartReleasesWhatItOpened() throws Exception {
    // An instance directory whose "ci" queue cannot be opened: a file stands where its directory would be.
    Path instance = Files.createDirectories(root.resolve("notifications").resolve("0123456789ab"));
    Files.createFile(instance.resolve("instance.lock"));
    Files.createFile(instance.resolve("ci"));

    assertThrows(Exception.class, () -> RunningNotifications.start(vertx, root,
        endpoints(endpoint("audit", audit.url()), endpoint("ci", ci.url()))));
    Files.delete(instance.resolve("ci"));

    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("audit", audit.url()), endpoint("ci", ci.url())));
    String id = TestEvents.newId();
    notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app"));
    assertEquals(List.of(id), ids(ci.await(1)));
    assertEquals(List.of(id), ids(audit.await(1)));
    assertEquals(List.of(instance), instanceDirectories(root.resolve("notifications")));
  }

  @Test
  void aQueueOfThePreviousLayoutMovesIntoTheInstanceDirectoryAndIsDelivered() throws Exception {
    Path legacy = root.resolve("notifications").resolve("ci");
    List<String> ids = IntStream.range(0, 3).mapToObj(i -> TestEvents.newId()).toList();
    DurableQueue old = DurableQueue.open(vertx, legacy, root.resolve("nothing-older")).await(10, TimeUnit.SECONDS);
    for (String id : ids) {
      old.append(TestEvents.blob(id, RegistryEvent.PUSH, "team/app").json().encode()).await(10, TimeUnit.SECONDS);
    }
    old.close().await(10, TimeUnit.SECONDS);

    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", ci.url())));

    assertEquals(ids, ids(ci.await(3)));
    assertFalse(Files.exists(legacy));
    List<Path> instances = instanceDirectories(root.resolve("notifications"));
    assertEquals(1, instances.size(), instances.toString());
    assertTrue(Files.isDirectory(instances.get(0).resolve("ci")));
  }

  private static List<Path> instanceDirectories(Path queues) throws Exception {
    try (Stream<Path> children = Files.list(queues)) {
      return children.filter(child -> Files.exists(child.resolve("instance.lock"))).sorted().toList();
    }
  }
}
