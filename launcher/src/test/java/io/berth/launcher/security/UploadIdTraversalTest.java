package io.berth.launcher.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.RawHttp;
import io.berth.launcher.security.TwoTenantRegistry.Blob;
import io.berth.launcher.security.TwoTenantRegistry.Tenant;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security issue #10: an upload id that climbs out of {@code _uploads} ({@code ..%2F..%2F..%2F..%2Fblobs%2F…}), sent
 * under a path the raw-path check did not look at ({@code //v2/…}), reached the blob store as a storage path. bob,
 * with every right on his own repository and none on alice's, could delete, overwrite, or probe any blob of hers.
 * Each attack must be refused and leave her blob as it was.
 */
class UploadIdTraversalTest {
  @TempDir
  Path temp;
  private TwoTenantRegistry registry;

  @AfterEach
  void stop() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  /** bob's upload URL, with an upload id that walks from his {@code _uploads} to {@code blob}'s directory. */
  private String traversal(Blob blob) {
    String id = String.join("%2F", "..", "..", "..", "..", "blobs", "sha256", blob.hex().substring(0, 2), blob.hex());
    return "//v2/" + registry.bob().repository() + "/blobs/uploads/" + id;
  }

  private void assertIntact(Blob blob) throws Exception {
    Path data = registry.blobData(blob);
    assertTrue(Files.isRegularFile(data), () -> data + " is gone");
    assertArrayEquals(blob.bytes(), Files.readAllBytes(data), () -> data + " changed");
    Tenant alice = registry.alice();
    RawHttp.Response head = registry.send(alice, "HEAD", "/v2/" + alice.repository() + "/blobs/" + blob.digest(), null);
    assertEquals(200, head.status());
    assertEquals(Integer.toString(blob.size()), head.header("Content-Length"));
  }

  private static void assertRefused(RawHttp.Response response) {
    assertTrue(response.status() >= 400 && response.status() < 500, () -> response.status() + " " + response.body());
  }

  @Test
  void cancellingATraversalUploadLeavesAnotherRepositorysBlob() throws Exception {
    registry = TwoTenantRegistry.start(temp, true);
    Blob target = registry.alice().layer();

    assertRefused(registry.send(registry.bob(), "DELETE", traversal(target), null));

    assertIntact(target);
  }

  @Test
  void patchingATraversalUploadAppendsNothingToAnotherRepositorysBlob() throws Exception {
    registry = TwoTenantRegistry.start(temp, true);
    Blob target = registry.alice().layer();

    assertRefused(registry.send(registry.bob(), "PATCH", traversal(target), "evil".getBytes(),
        "Content-Type: application/octet-stream"));

    assertIntact(target);
  }

  /** The commit removed the "upload" after linking it: a delete even where deletes are disabled. */
  @Test
  void completingATraversalUploadDeletesNothingWhenDeletesAreDisabled() throws Exception {
    registry = TwoTenantRegistry.start(temp, false);
    Blob target = registry.alice().layer();

    assertRefused(registry.send(registry.bob(), "PUT", traversal(target) + "?digest=" + target.digest(), new byte[0],
        "Content-Type: application/octet-stream"));

    assertIntact(target);
    assertEquals(404, registry.send(registry.bob(), "HEAD",
        "/v2/" + registry.bob().repository() + "/blobs/" + target.digest(), null).status(),
        "bob's repository must not have gained a link to alice's blob");
  }

  /** The status of an upload told whether a digest is stored and its size (in Range); now nothing distinguishes. */
  @Test
  void theStatusOfATraversalUploadTellsNothingAboutAnotherRepositorysBlob() throws Exception {
    registry = TwoTenantRegistry.start(temp, true);
    Blob target = registry.alice().layer();
    Blob absent = Blob.of("never stored".getBytes());

    RawHttp.Response stored = registry.send(registry.bob(), "GET", traversal(target), null);
    RawHttp.Response missing = registry.send(registry.bob(), "GET", traversal(absent), null);

    assertRefused(stored);
    assertNull(stored.header("Range"));
    assertEquals(missing.status(), stored.status());
    assertEquals(errorCode(missing), errorCode(stored));
    assertIntact(target);
  }

  /** An upload id is good only in the repository that opened it: bob cannot reach alice's session through his. */
  @Test
  void anotherRepositorysUploadIdIsUnknownInOnesOwn() throws Exception {
    registry = TwoTenantRegistry.start(temp, true);
    StorageSnapshot before = StorageSnapshot.of(registry.root());
    Tenant bob = registry.bob();
    String session = "/v2/" + bob.repository() + "/blobs/uploads/" + registry.alice().uploadId();
    byte[] chunk = "evil".getBytes();

    for (RawHttp.Response response : List.of(
        registry.send(bob, "GET", session, null),
        registry.send(bob, "PATCH", session, chunk, "Content-Type: application/octet-stream"),
        registry.send(bob, "PUT", session + "?digest=" + Blob.of(chunk).digest(), chunk,
            "Content-Type: application/octet-stream"),
        registry.send(bob, "DELETE", session, null))) {
      assertEquals(404, response.status(), response::body);
      assertEquals("BLOB_UPLOAD_UNKNOWN", errorCode(response));
    }
    assertEquals(List.of(), StorageSnapshot.of(registry.root()).changesSince(before));
  }

  private static String errorCode(RawHttp.Response response) {
    return new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code");
  }
}
