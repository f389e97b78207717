package io.berth.common.bus.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.event.RequestInfo;
import io.berth.common.oci.MediaTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The body of {@code registry.v1.events}, as the notification service reads it. */
class RegistryEventTest {
  private static final RegistryEvent.Target TARGET = new RegistryEvent.Target(MediaTypes.OCI_MANIFEST,
      "sha256:" + "c".repeat(64), 10, "team/app", null, null, "v1", new JsonArray().add("sha256:" + "d".repeat(64)));

  @Test
  void itsBodyIsTheEventAsPublished() {
    RegistryEvent event = RegistryEvent.of("id-1", Instant.EPOCH, RegistryEvent.PUSH, TARGET, RequestInfo.NONE,
        "host:5000", "instance");

    assertEquals(event.json(), event.toJson());
    assertEquals(event, RegistryEvent.fromJson(event.toJson()));
  }

  @Test
  void aBodyWithoutAStringIdIsNoEvent() {
    assertThrows(IllegalArgumentException.class, () -> RegistryEvent.fromJson(new JsonObject()));
    assertThrows(IllegalArgumentException.class, () -> RegistryEvent.fromJson(new JsonObject().put("id", 7)));
  }

  @Test
  void withoutReferencesLeavesTheEventItCameFromAlone() {
    RegistryEvent event = RegistryEvent.of("id-2", Instant.EPOCH, RegistryEvent.PUSH, TARGET, RequestInfo.NONE,
        "host:5000", "instance");

    RegistryEvent without = event.withoutReferences();

    assertFalse(without.target().containsKey("references"));
    assertEquals("v1", without.target().getString("tag"));
    assertTrue(event.target().containsKey("references"), "the published event is shared by every endpoint");
  }
}
