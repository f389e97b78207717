package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.common.bus.message.RegistryEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a receiver gets: distribution's envelope, field names and media types, one event per POST, in order. */
class DistributionFormatTest extends ReceiverTestBase {
  @Test
  void aManifestPushArrivesInDistributionsEnvelopeWithV1MediaTypeByDefault() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url())));
    RegistryEvent event = TestEvents.manifestPush("4f1c3d62-5b0c-4a51-9d93-0fd8bb4b1e7a", "team/app", "1.0");

    notifications.publish(event);
    Receiver.Request request = receiver.await(1).get(0);

    assertEquals("POST", request.method());
    assertEquals("/hook", request.path());
    assertEquals("application/vnd.docker.distribution.events.v1+json", request.headers().get("Content-Type"));
    JsonObject expected = new JsonObject().put("events", new JsonArray().add(new JsonObject()
        .put("id", "4f1c3d62-5b0c-4a51-9d93-0fd8bb4b1e7a")
        .put("timestamp", "2024-05-01T12:00:00.123456789Z")
        .put("action", "push")
        .put("target", new JsonObject()
            .put("mediaType", TestEvents.MANIFEST)
            .put("digest", TestEvents.DIGEST)
            .put("size", 1234)
            .put("length", 1234)
            .put("repository", "team/app")
            .put("url", "http://registry.example.com/v2/team/app/manifests/" + TestEvents.DIGEST)
            .put("tag", "1.0"))
        .put("request", new JsonObject().put("id", "req-1").put("addr", "10.0.0.7:41234")
            .put("host", "registry.example.com").put("method", "PUT").put("useragent", "skopeo/1.13.3"))
        .put("actor", new JsonObject().put("name", "alice"))
        .put("source", new JsonObject().put("addr", "berth-1:5000").put("instanceID", "instance-1"))));
    assertEquals(expected, request.json());
    assertEquals(List.of("events"), List.copyOf(request.json().fieldNames()));
  }

  @Test
  void formatV2SendsDistribution3sMediaTypeWithTheSameBody() throws Exception {
    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("v2", receiver.url()).put("format", "v2")));
    RegistryEvent event = TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app");

    notifications.publish(event);
    Receiver.Request request = receiver.await(1).get(0);

    assertEquals("application/vnd.docker.distribution.events.v2+json", request.headers().get("Content-Type"));
    assertEquals(new JsonObject().put("events", new JsonArray().add(event.json())), request.json());
  }

  @Test
  void targetReferencesAreSentOnlyWithIncludeReferences() throws Exception {
    Receiver withReferences = Receiver.start(vertx);
    try {
      notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url()))
          .put("events", new JsonObject().put("includereferences", true)));
      RegistryEvent event = TestEvents.manifestPush(TestEvents.newId(), "team/app", "1.0");
      notifications.publish(event);
      JsonObject target = receiver.await(1).get(0).json().getJsonArray("events").getJsonObject(0)
          .getJsonObject("target");
      assertEquals(event.target().getJsonArray("references"), target.getJsonArray("references"));

      notifications.close();
      notifications = RunningNotifications.start(vertx, root.resolve("second"),
          endpoints(endpoint("ci", withReferences.url())));
      notifications.publish(event);
      JsonObject withoutReferences = withReferences.await(1).get(0).json().getJsonArray("events").getJsonObject(0)
          .getJsonObject("target");
      assertNull(withoutReferences.getValue("references"));
      assertEquals(event.target().getString("digest"), withoutReferences.getString("digest"));
    } finally {
      withReferences.close();
    }
  }

  @Test
  void configuredHeadersGoWithEveryRequest() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url())
        .put("headers", new JsonObject().put("Authorization", new JsonArray().add("Bearer ci-token"))
            .put("X-Team", new JsonArray().add("platform").add("build")))));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PULL, "team/app"));

    for (Receiver.Request request : receiver.await(2)) {
      assertEquals("Bearer ci-token", request.headers().get("Authorization"));
      assertEquals(List.of("platform", "build"), request.headers().getAll("X-Team"));
      assertNull(request.headers().get("X-Berth-Signature"));
    }
  }

  @Test
  void credentialsInTheUrlAreSentAsBasicAuthenticationAsDistributionsClientDoes() throws Exception {
    String url = receiver.url().replace("http://", "http://hook%20user:p%40ss@") + "?team=platform";
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", url)));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.PUSH, "team/app"));
    Receiver.Request request = receiver.await(1).get(0);

    assertEquals("Basic " + Base64.getEncoder().encodeToString("hook user:p@ss".getBytes(StandardCharsets.UTF_8)),
        request.headers().get("Authorization"));
    assertEquals("/hook", request.path());
  }

  @Test
  void eachEventIsItsOwnRequestInTheOrderPublished() throws Exception {
    notifications = RunningNotifications.start(vertx, root, endpoints(endpoint("ci", receiver.url())));
    List<String> ids = IntStream.range(0, 25).mapToObj(i -> TestEvents.newId()).toList();

    ids.forEach(id -> notifications.publish(TestEvents.blob(id, RegistryEvent.PUSH, "team/app")));
    List<Receiver.Request> requests = receiver.await(25);

    assertEquals(ids, requests.stream().map(Receiver.Request::eventId).toList());
    requests.forEach(request -> assertEquals(1, request.json().getJsonArray("events").size()));
    assertEquals(Set.of("POST"), Set.copyOf(requests.stream().map(Receiver.Request::method).toList()));
  }
}
