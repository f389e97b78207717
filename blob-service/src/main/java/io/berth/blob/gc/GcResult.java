package io.berth.blob.gc;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one collection did. {@code marked} counts the digests found in use (distribution's "blobs marked");
 * {@code blobsEligible}/{@code bytesEligible} what it found deletable, of which a dry run deletes nothing;
 * {@code blobsKept} unreferenced blobs spared because they were written or used within the grace period;
 * {@code stopped} when the registry shut down during the run, which then left the rest for another.
 */
public record GcResult(boolean dryRun, int repositories, int manifests, int marked, int blobsEligible,
    long bytesEligible, int manifestsEligible, int layerLinksEligible, int blobsDeleted, long bytesFreed,
    List<DeletedManifest> manifestsDeleted, int layerLinksDeleted, int blobsKept, boolean stopped, long durationMillis) {

  /** A manifest revision removed from a repository (with {@code deleteuntagged}). */
  public record DeletedManifest(String repository, String digest) {
  }

  public JsonObject toJson() {
    JsonArray deleted = new JsonArray();
    manifestsDeleted.forEach(manifest -> deleted.add(new JsonObject().put("repository", manifest.repository())
        .put("digest", manifest.digest())));
    return new JsonObject().put("dryRun", dryRun).put("repositories", repositories).put("manifests", manifests)
        .put("marked", marked).put("blobsEligible", blobsEligible).put("bytesEligible", bytesEligible)
        .put("manifestsEligible", manifestsEligible).put("layerLinksEligible", layerLinksEligible)
        .put("blobsDeleted", blobsDeleted).put("bytesFreed", bytesFreed).put("manifestsDeleted", deleted)
        .put("layerLinksDeleted", layerLinksDeleted).put("blobsKept", blobsKept).put("stopped", stopped)
        .put("durationMillis", durationMillis);
  }
}
