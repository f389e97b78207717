package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.message.RegistryEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * distribution's ignore rules, per endpoint: by target media type ({@code ignore.mediatypes} and the legacy
 * {@code ignoredmediatypes}) or by action. An ignored event is published before a kept one; since delivery is in
 * order, once the kept one has arrived the ignored one would have arrived before it.
 */
@ExtendWith(VertxExtension.class)
class IgnoreRulesTest {
  @TempDir
  Path root;

  private Vertx vertx;
  private Receiver first;
  private Receiver second;
  private Receiver unfiltered;
  private RunningNotifications notifications;

  @BeforeEach
  void startReceivers(Vertx vertx) throws Exception {
    this.vertx = vertx;
    first = Receiver.start(vertx);
    second = Receiver.start(vertx);
    unfiltered = Receiver.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    notifications.close();
    first.close();
    second.close();
    unfiltered.close();
  }

  private static List<String> actions(List<Receiver.Request> requests) {
    return requests.stream().map(request -> request.json().getJsonArray("events").getJsonObject(0)
        .getString("action") + " " + request.json().getJsonArray("events").getJsonObject(0)
        .getJsonObject("target").getString("mediaType")).toList();
  }

  @Test
  void ignoredMediaTypesOfEitherKeyAreNotSent() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(
        endpoint("new-key", first.url()).put("ignore", new JsonObject()
            .put("mediatypes", new JsonArray().add(TestEvents.LAYER))),
        endpoint("legacy-key", second.url()).put("ignoredmediatypes", new JsonArray().add(TestEvents.LAYER)),
        endpoint("all", unfiltered.url())));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    notifications.publish(TestEvents.manifestPush(TestEvents.newId(), "team/app", "1.0"));

    assertEquals(List.of("push " + TestEvents.MANIFEST), actions(first.await(1)));
    assertEquals(List.of("push " + TestEvents.MANIFEST), actions(second.await(1)));
    assertEquals(List.of("push " + TestEvents.LAYER, "push " + TestEvents.MANIFEST), actions(unfiltered.await(2)));
    assertEquals(1, first.requests().size());
    assertEquals(1, second.requests().size());
  }

  @Test
  void ignoredActionsAreNotSent() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(
        endpoint("no-pulls", first.url()).put("ignore", new JsonObject()
            .put("actions", new JsonArray().add("pull").add("mount"))),
        endpoint("all", unfiltered.url())));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PULL, "team/app"));
    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.MOUNT, "team/app"));
    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.DELETE, "team/app"));

    assertEquals(List.of("delete " + TestEvents.LAYER), actions(first.await(1)));
    assertEquals(List.of("pull " + TestEvents.LAYER, "mount " + TestEvents.LAYER, "delete " + TestEvents.LAYER),
        actions(unfiltered.await(3)));
    assertEquals(1, first.requests().size());
  }

  @Test
  void mediaTypeAndActionRulesCombineWithOr() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(
        endpoint("ci", first.url()).put("ignore", new JsonObject()
            .put("mediatypes", new JsonArray().add(TestEvents.LAYER))
            .put("actions", new JsonArray().add("pull")))));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    notifications.publish(TestEvents.manifest(TestEvents.newId(), RegistryEvent.PULL, "team/app", "1.0"));
    notifications.publish(TestEvents.manifestPush(TestEvents.newId(), "team/app", "2.0"));

    assertEquals(List.of("push " + TestEvents.MANIFEST), actions(first.await(1)));
    assertEquals("2.0", first.requests().get(0).json().getJsonArray("events").getJsonObject(0)
        .getJsonObject("target").getString("tag"));
    assertEquals(1, first.requests().size());
  }
}
