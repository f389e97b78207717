package io.berth.common.bus.message;

import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body of {@code blob.v1.gc.completed}: the shape the collector published before it was a shared record. */
class GcResultTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);

  @Test
  void itsBodyKeepsEveryCountUnderItsName() {
    GcResult result = new GcResult(false, 2, 3, 4, 5, 6L, 7, 8, 9, 10L,
        List.of(new GcResult.DeletedManifest("team/app", DIGEST)), 11, 12, true, 13L);

    JsonObject body = result.toJson();

    assertEquals(new JsonObject().put("dryRun", false).put("repositories", 2).put("manifests", 3).put("marked", 4)
        .put("blobsEligible", 5).put("bytesEligible", 6L).put("manifestsEligible", 7).put("layerLinksEligible", 8)
        .put("blobsDeleted", 9).put("bytesFreed", 10L)
        .put("manifestsDeleted", new JsonArray().add(new JsonObject().put("repository", "team/app")
            .put("digest", DIGEST)))
        .put("layerLinksDeleted", 11).put("blobsKept", 12).put("stopped", true).put("durationMillis", 13L), body);
    assertEquals(result, GcResult.fromJson(body));
  }

  @Test
  void aCountABodyLeavesOutReadsAsNothing() {
    GcResult result = GcResult.fromJson(new JsonObject().put("manifestsDeleted", new JsonArray()
        .add(new JsonObject().put("repository", "team/app").put("digest", DIGEST))));

    assertEquals(List.of(new GcResult.DeletedManifest("team/app", DIGEST)), result.manifestsDeleted());
    assertEquals(0, result.blobsDeleted());
    assertEquals(0L, result.bytesFreed());
    assertEquals(false, result.stopped());
    assertEquals(List.of(), GcResult.fromJson(new JsonObject()).manifestsDeleted());
  }

  @Test
  void aDeletedManifestThatNamesNoManifestFailsTheBody() {
    throwsRegistryError(ErrorCode.NAME_INVALID, () -> GcResult.fromJson(new JsonObject().put("manifestsDeleted",
        new JsonArray().add(new JsonObject().put("repository", "../team").put("digest", DIGEST)))));
    throwsRegistryError(ErrorCode.DIGEST_INVALID, () -> GcResult.fromJson(new JsonObject().put("manifestsDeleted",
        new JsonArray().add(new JsonObject().put("repository", "team/app").put("digest", "sha256:../x")))));
  }
}
