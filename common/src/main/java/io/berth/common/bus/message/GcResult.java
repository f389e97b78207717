package io.berth.common.bus.message;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What one collection did, as the online collector publishes it on {@code blob.v1.gc.completed} after each run and as
 * {@code berth garbage-collect} sums it up. {@code marked} counts the digests found in use (distribution's "blobs
 * marked"); {@code blobsEligible}/{@code bytesEligible} what it found deletable, of which a dry run deletes nothing;
 * {@code blobsKept} unreferenced blobs spared because they were written or used within the grace period;
 * {@code stopped} when the registry shut down during the run, which then left the rest for another. A count a message
 * leaves out reads as 0: a listener that only forgets manifests may be told just those.
 */
public record GcResult(boolean dryRun, int repositories, int manifests, int marked, int blobsEligible,
    long bytesEligible, int manifestsEligible, int layerLinksEligible, int blobsDeleted, long bytesFreed,
    List<DeletedManifest> manifestsDeleted, int layerLinksDeleted, int blobsKept, boolean stopped, long durationMillis) {

  /**
   * A manifest revision removed from a repository (with {@code deleteuntagged}). Both names are parsed again when a
   * message is read, so a cache is never asked to forget something that names no manifest.
   */
  public record DeletedManifest(String repository, String digest) {
    public JsonObject toJson() {
      return new JsonObject().put("repository", repository).put("digest", digest);
    }

    public static DeletedManifest fromJson(JsonObject json) {
      return new DeletedManifest(RepositoryName.parse(json.getString("repository")).value(),
          Digest.parse(json.getString("digest")).toString());
    }
  }

  public JsonObject toJson() {
    JsonArray deleted = new JsonArray();
    manifestsDeleted.forEach(manifest -> deleted.add(manifest.toJson()));
    return new JsonObject().put("dryRun", dryRun).put("repositories", repositories).put("manifests", manifests)
        .put("marked", marked).put("blobsEligible", blobsEligible).put("bytesEligible", bytesEligible)
        .put("manifestsEligible", manifestsEligible).put("layerLinksEligible", layerLinksEligible)
        .put("blobsDeleted", blobsDeleted).put("bytesFreed", bytesFreed).put("manifestsDeleted", deleted)
        .put("layerLinksDeleted", layerLinksDeleted).put("blobsKept", blobsKept).put("stopped", stopped)
        .put("durationMillis", durationMillis);
  }

  public static GcResult fromJson(JsonObject json) {
    List<DeletedManifest> deleted = json.getJsonArray("manifestsDeleted", new JsonArray()).stream()
        .map(manifest -> DeletedManifest.fromJson((JsonObject) manifest)).toList();
    return new GcResult(json.getBoolean("dryRun", false), json.getInteger("repositories", 0),
        json.getInteger("manifests", 0), json.getInteger("marked", 0), json.getInteger("blobsEligible", 0),
        json.getLong("bytesEligible", 0L), json.getInteger("manifestsEligible", 0),
        json.getInteger("layerLinksEligible", 0), json.getInteger("blobsDeleted", 0), json.getLong("bytesFreed", 0L),
        deleted, json.getInteger("layerLinksDeleted", 0), json.getInteger("blobsKept", 0),
        json.getBoolean("stopped", false), json.getLong("durationMillis", 0L));
  }
}
