package io.berth.notify;

import static io.berth.notify.RunningNotifications.endpoint;
import static io.berth.notify.RunningNotifications.endpoints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.common.bus.message.RegistryEvent;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code format: cloudevents}: CloudEvents 1.0 structured JSON, one event per request, the registry event as data. */
class CloudEventsTest extends ReceiverTestBase {
  @Test
  void aManifestPushIsAValidCloudEventCarryingTheRegistryEvent() throws Exception {
    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("ce", receiver.url()).put("format", "cloudevents")),
        new JsonObject().put("http", new JsonObject().put("host", "https://registry.example.com")));
    RegistryEvent event = TestEvents.manifestPush("0b9f5a34-3c1e-4d2b-8f7a-2b6c1f0e9d11", "team/app", "1.0");

    notifications.publish(event);
    Receiver.Request request = receiver.await(1).get(0);

    assertEquals("application/cloudevents+json", request.headers().get("Content-Type"));
    JsonObject cloudEvent = request.json();
    CloudEventsSpec.assertValid(cloudEvent);
    assertEquals("1.0", cloudEvent.getString("specversion"));
    assertEquals("0b9f5a34-3c1e-4d2b-8f7a-2b6c1f0e9d11", cloudEvent.getString("id"));
    assertEquals("https://registry.example.com", cloudEvent.getString("source"));
    assertEquals("io.berth.registry.push", cloudEvent.getString("type"));
    assertEquals("team/app:1.0", cloudEvent.getString("subject"));
    assertEquals("2024-05-01T12:00:00.123456789Z", cloudEvent.getString("time"));
    assertEquals("application/json", cloudEvent.getString("datacontenttype"));
    JsonObject expectedData = event.json().copy();
    expectedData.getJsonObject("target").remove("references");
    assertEquals(expectedData, cloudEvent.getJsonObject("data"));
  }

  @Test
  void blobEventsNameTheDigestAndTheSourceDefaultsToBerthsUrn() throws Exception {
    notifications = RunningNotifications.start(vertx, root,
        endpoints(endpoint("ce", receiver.url()).put("format", "cloudevents")));

    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.DELETE, "team/app"));
    notifications.publish(TestEvents.blob(TestEvents.newId(), RegistryEvent.MOUNT, "team/app"));
    List<Receiver.Request> requests = receiver.await(2);

    for (Receiver.Request request : requests) {
      CloudEventsSpec.assertValid(request.json());
      assertEquals("urn:berth:registry", request.json().getString("source"));
      assertEquals("team/app@" + TestEvents.DIGEST, request.json().getString("subject"));
    }
    assertEquals(List.of("io.berth.registry.delete", "io.berth.registry.mount"),
        requests.stream().map(request -> request.json().getString("type")).toList());
    assertFalse(requests.get(0).json().getString("id").equals(requests.get(1).json().getString("id")));
  }
}
