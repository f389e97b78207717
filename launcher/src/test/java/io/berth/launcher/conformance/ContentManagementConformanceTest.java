package io.berth.launcher.conformance;

import static io.berth.launcher.conformance.Blob.UNKNOWN_DIGEST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.launcher.RunningRegistry;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The spec's Content Management workflow: deleting tags and manifests (end-9) and blobs (end-10). */
class ContentManagementConformanceTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private final OciClient client = REGISTRY.client();

  private List<String> tags(String repository) {
    return client.get("/v2/" + repository + "/tags/list").assertStatus(200).json().getJsonArray("tags").stream()
        .map(String.class::cast).toList();
  }

  private Manifest pushTagged(String repository, String... tags) {
    Manifest manifest = ManifestKind.OCI_IMAGE.prepare(client, repository);
    for (String tag : tags) {
      client.pushManifest(repository, tag, manifest);
    }
    return manifest;
  }

  @Test
  void deleteByTagRemovesTheTagButNotTheManifest() {
    Manifest manifest = pushTagged("management/untag", "keep", "drop");
    client.delete("/v2/management/untag/manifests/drop").assertStatus(202);
    assertEquals(List.of("keep"), tags("management/untag"));
    client.get("/v2/management/untag/manifests/drop").assertError(404, "MANIFEST_UNKNOWN");
    client.getManifest("management/untag", manifest.digest(), Manifest.OCI_IMAGE).assertStatus(200)
        .assertBody(manifest.bytes());
    client.getManifest("management/untag", "keep", Manifest.OCI_IMAGE).assertStatus(200);
  }

  @Test
  void deleteByDigestRemovesTheManifestAndEveryTagOnIt() {
    Manifest deleted = pushTagged("management/delete", "a", "b");
    Manifest kept = pushTagged("management/delete", "c");
    client.delete("/v2/management/delete/manifests/" + deleted.digest()).assertStatus(202);
    for (String reference : List.of(deleted.digest(), "a", "b")) {
      client.assertUnknown("/v2/management/delete/manifests/" + reference, "MANIFEST_UNKNOWN");
    }
    assertEquals(List.of("c"), tags("management/delete"));
    client.getManifest("management/delete", "c", Manifest.OCI_IMAGE).assertStatus(200).assertBody(kept.bytes());
  }

  @Test
  void deleteBlobMakesItUnknown() {
    Blob blob = Blob.random(256);
    client.pushBlob("management/blobs", blob);
    String path = "/v2/management/blobs/blobs/" + blob.digest();
    client.delete(path).assertStatus(202);
    client.assertUnknown(path, "BLOB_UNKNOWN");
    client.delete(path).assertError(404, "BLOB_UNKNOWN");
  }

  @Test
  void deleteOfContentThatIsNotThereAnswers404() {
    pushTagged("management/missing", "v1");
    client.delete("/v2/management/missing/manifests/" + UNKNOWN_DIGEST).assertError(404, "MANIFEST_UNKNOWN");
    client.delete("/v2/management/missing/manifests/nope").assertError(404, "MANIFEST_UNKNOWN");
    client.delete("/v2/management/missing/blobs/" + UNKNOWN_DIGEST).assertError(404, "BLOB_UNKNOWN");
    client.delete("/v2/management/never-pushed/manifests/" + UNKNOWN_DIGEST).assertStatus(404);
  }

  @Test
  void deletedReferrerLeavesTheReferrersList() {
    Manifest subject = pushTagged("management/referrers", "v1");
    client.pushBlob("management/referrers", Blob.EMPTY_JSON);
    Manifest kept = Manifest.artifact("application/vnd.example.kept.v1").subject(subject).build();
    Manifest deleted = Manifest.artifact("application/vnd.example.deleted.v1").subject(subject).build();
    client.pushManifest("management/referrers", kept.digest(), kept);
    client.pushManifest("management/referrers", deleted.digest(), deleted);
    client.delete("/v2/management/referrers/manifests/" + deleted.digest()).assertStatus(202);
    JsonArray listed = client.get("/v2/management/referrers/referrers/" + subject.digest()).assertStatus(200)
        .json().getJsonArray("manifests");
    assertEquals(1, listed.size());
    assertEquals(kept.digest(), listed.getJsonObject(0).getString("digest"));
  }

  @Test
  void deletesAnswerUnsupportedWhenDeletionIsDisabled() throws Exception {
    RunningRegistry registry = RunningRegistry.start(Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "false"));
    try (registry) {
      OciClient readOnly = new OciClient(registry.baseUrl());
      Manifest manifest = ManifestKind.OCI_IMAGE.prepare(readOnly, "management/kept");
      readOnly.pushManifest("management/kept", "v1", manifest);
      Blob blob = Blob.random(64);
      readOnly.pushBlob("management/kept", blob);
      readOnly.delete("/v2/management/kept/manifests/v1").assertError(405, "UNSUPPORTED");
      readOnly.delete("/v2/management/kept/manifests/" + manifest.digest()).assertError(405, "UNSUPPORTED");
      readOnly.delete("/v2/management/kept/blobs/" + blob.digest()).assertError(405, "UNSUPPORTED");
      readOnly.getManifest("management/kept", "v1", Manifest.OCI_IMAGE).assertStatus(200).assertBody(manifest.bytes());
      readOnly.get("/v2/management/kept/blobs/" + blob.digest()).assertStatus(200).assertBody(blob.bytes());
    } finally {
      RunningRegistry.deleteTree(registry.root());
    }
  }
}
