package io.berth.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.UploadId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Session ids name the process that created them, and nothing else is taken for one of ours. */
class UploadIdsTest {
  @Test
  void aProcessIdIsTwelveLowercaseHexCharactersAndFresh() {
    String id = UploadIds.newProcessId();

    assertTrue(id.matches("[0-9a-f]{12}"), id);
    assertNotEquals(id, UploadIds.newProcessId());
  }

  @Test
  void aSessionIdIsAVersion8UuidEndingInTheProcessId() {
    String uuid = UploadIds.newUuid("0123456789ab").value();

    UUID parsed = UUID.fromString(uuid);
    assertEquals(uuid, parsed.toString());
    assertEquals(8, parsed.version());
    assertEquals(2, parsed.variant());
    assertTrue(uuid.endsWith("-0123456789ab"), uuid);
    assertNotEquals(uuid, UploadIds.newUuid("0123456789ab").value());
  }

  @Test
  void theOwnerOfOurSessionIdIsTheProcessThatCreatedIt() {
    assertEquals(Optional.of("00ff00ff00ff"), UploadIds.owner(UploadIds.newUuid("00ff00ff00ff")));
  }

  @Test
  void sessionIdsNotInOurFormHaveNoOwner() {
    assertEquals(Optional.empty(), UploadIds.owner(new UploadId(UUID.randomUUID().toString())));
    assertEquals(Optional.empty(), UploadIds.owner(new UploadId("4f1e8c52-0000-4000-8000-000000000000")));
    assertEquals(Optional.empty(), UploadIds.owner(new UploadId("4f1e8c52-0000-8000-c000-0123456789ab")));
  }

  @Test
  void aProcessIdNotInItsFormIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> UploadIds.newUuid("0123456789AB"));
    assertThrows(IllegalArgumentException.class, () -> UploadIds.newUuid("blob.v1.x"));
  }
}
