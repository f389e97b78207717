package io.berth.launcher.conformance;

import static io.berth.launcher.conformance.OciClient.OCTET_STREAM;
import static io.berth.launcher.conformance.OciClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The spec's Push workflow: uploads (end-4a, end-4b, end-5, end-6, end-13, end-14), cross-repository mounts (end-11)
 * and manifest pushes (end-7), with the failures each may answer.
 */
class PushConformanceTest {
  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private final OciClient client = REGISTRY.client();

  /** Opens an upload session and answers its Location. */
  private String startUpload(String repository) {
    OciResponse started = client.post("/v2/" + repository + "/blobs/uploads/", new byte[0]).assertStatus(202)
        .assertHeader("Range", "0-0");
    String uuid = started.header("Docker-Upload-UUID");
    assertTrue(uuid != null && !uuid.isEmpty(), "Docker-Upload-UUID");
    assertEquals("/v2/" + repository + "/blobs/uploads/" + uuid, started.locationPath());
    return started.header("Location");
  }

  private OciResponse patch(String location, byte[] bytes, int from, int to) {
    return client.patch(location, Arrays.copyOfRange(bytes, from, to), "Content-Type", OCTET_STREAM,
        "Content-Range", from + "-" + (to - 1));
  }

  private void assertCreated(OciResponse response, String repository, Blob blob) {
    response.assertStatus(201).assertHeader("Docker-Content-Digest", blob.digest());
    assertEquals("/v2/" + repository + "/blobs/" + blob.digest(), response.locationPath());
    client.get(response.header("Location")).assertStatus(200).assertBody(blob.bytes());
  }

  /** The closing PUT, with the last chunk or none, completes the upload as {@code blob}. */
  private void assertCompletes(String repository, String location, Blob blob, byte[] lastChunk, String... headers) {
    assertCreated(client.put(withQuery(location, "digest", blob.digest()), lastChunk, headers), repository, blob);
  }

  private void assertNotStored(String repository, Blob blob) {
    client.get("/v2/" + repository + "/blobs/" + blob.digest()).assertError(404, "BLOB_UNKNOWN");
  }

  @Test
  void postThenPutUploadsABlob() {
    Blob blob = Blob.random(2048);
    assertCompletes("push/monolithic", startUpload("push/monolithic"), blob, blob.bytes(),
        "Content-Type", OCTET_STREAM);
  }

  @Test
  void singlePostWithDigestUploadsABlob() {
    Blob blob = Blob.random(2048);
    assertCreated(client.post("/v2/push/single-post/blobs/uploads/?digest=" + blob.digest(), blob.bytes(),
        "Content-Type", OCTET_STREAM), "push/single-post", blob);
  }

  @Test
  void chunksUploadedInOrderMakeTheBlob() {
    Blob blob = Blob.random(3000);
    String location = startUpload("push/chunked");
    location = patch(location, blob.bytes(), 0, 1000).assertStatus(202).assertHeader("Range", "0-999")
        .header("Location");
    client.get(location).assertStatus(204).assertHeader("Range", "0-999").assertNoBody();
    location = patch(location, blob.bytes(), 1000, 3000).assertStatus(202).assertHeader("Range", "0-2999")
        .header("Location");
    assertCompletes("push/chunked", location, blob, new byte[0]);
  }

  @Test
  void closingPutMayCarryTheLastChunk() {
    Blob blob = Blob.random(3000);
    String location = startUpload("push/chunked");
    location = patch(location, blob.bytes(), 0, 1000).assertStatus(202).header("Location");
    assertCompletes("push/chunked", location, blob, Arrays.copyOfRange(blob.bytes(), 1000, 3000),
        "Content-Type", OCTET_STREAM, "Content-Range", "1000-2999");
  }

  @Test
  void patchWithoutContentRangeStreamsTheWholeBlob() {
    Blob blob = Blob.random(5000);
    String location = startUpload("push/streamed");
    location = client.patch(location, blob.bytes(), "Content-Type", OCTET_STREAM).assertStatus(202)
        .assertHeader("Range", "0-4999").header("Location");
    assertCompletes("push/streamed", location, blob, new byte[0]);
  }

  /** A Content-Range no long can hold is one that does not match the chunk: refused, not a 500. */
  @Test
  void chunkRangeBeyondAnyNumberAnswers416() {
    String location = startUpload("push/huge-range");
    for (String range : List.of("0-99999999999999999999", "99999999999999999999-99999999999999999999")) {
      client.patch(location, new byte[] {1, 2, 3}, "Content-Type", OCTET_STREAM, "Content-Range", range)
          .assertError(416, "BLOB_UPLOAD_INVALID");
    }
    client.get(location).assertStatus(204).assertHeader("Range", "0-0");
  }

  @Test
  void chunkThatDoesNotStartAtTheUploadedSizeAnswers416() {
    Blob blob = Blob.random(3000);
    String location = startUpload("push/out-of-order");
    patch(location, blob.bytes(), 1000, 3000).assertError(416, "BLOB_UPLOAD_INVALID");
    patch(location, blob.bytes(), 0, 1000).assertStatus(202);
    patch(location, blob.bytes(), 0, 1000).assertError(416, "BLOB_UPLOAD_INVALID");
    client.get(location).assertStatus(204).assertHeader("Range", "0-999");
    patch(location, blob.bytes(), 1000, 3000).assertStatus(202).assertHeader("Range", "0-2999");
    assertCompletes("push/out-of-order", location, blob, new byte[0]);
  }

  @Test
  void wrongDigestIsRefusedAndNothingIsStored() {
    Blob blob = Blob.random(1000);
    Blob claimed = Blob.random(1000);
    String location = startUpload("push/wrong-digest");
    client.put(withQuery(location, "digest", claimed.digest()), blob.bytes(), "Content-Type", OCTET_STREAM)
        .assertError(400, "DIGEST_INVALID");
    client.post("/v2/push/wrong-digest/blobs/uploads/?digest=" + claimed.digest(), blob.bytes(),
        "Content-Type", OCTET_STREAM).assertError(400, "DIGEST_INVALID");
    assertNotStored("push/wrong-digest", claimed);
    assertNotStored("push/wrong-digest", blob);
  }

  @Test
  void cancelledUploadIsForgotten() {
    String location = startUpload("push/cancelled");
    patch(location, Blob.random(100).bytes(), 0, 100).assertStatus(202);
    client.delete(location).assertStatus(204);
    client.get(location).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    client.delete(location).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    patch(location, Blob.random(200).bytes(), 100, 200).assertError(404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void uploadOfAnotherRepositoryIsUnknownHere() {
    String location = startUpload("push/session-owner");
    String uuid = location.substring(location.lastIndexOf('/') + 1);
    client.get("/v2/push/session-thief/blobs/uploads/" + uuid).assertError(404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void mountFromARepositoryHoldingTheBlobAnswers201() {
    Blob blob = Blob.random(512);
    client.pushBlob("push/mount-source", blob);
    assertCreated(client.post("/v2/push/mount-target/blobs/uploads/?mount=" + blob.digest()
        + "&from=push/mount-source", null), "push/mount-target", blob);
  }

  @Test
  void mountFromARepositoryLackingTheBlobOpensAnUploadSession() {
    Blob blob = Blob.random(512);
    client.pushBlob("push/mount-empty-source", Blob.random(10));
    OciResponse session = client.post("/v2/push/mount-fallback/blobs/uploads/?mount=" + blob.digest()
        + "&from=push/mount-empty-source", null).assertStatus(202);
    assertTrue(session.locationPath().startsWith("/v2/push/mount-fallback/blobs/uploads/"), session.locationPath());
    assertCompletes("push/mount-fallback", session.header("Location"), blob, blob.bytes(),
        "Content-Type", OCTET_STREAM);
  }

  @Test
  void mountWithoutFromOpensAnUploadSession() {
    Blob blob = Blob.random(512);
    client.pushBlob("push/mount-source", blob);
    OciResponse session = client.post("/v2/push/mount-no-from/blobs/uploads/?mount=" + blob.digest(), null)
        .assertStatus(202);
    assertTrue(session.locationPath().startsWith("/v2/push/mount-no-from/blobs/uploads/"), session.locationPath());
  }

  @ParameterizedTest
  @EnumSource(ManifestKind.class)
  void manifestPushByTagAndByDigestAnswers201(ManifestKind kind) {
    String repository = "push/" + kind.name().toLowerCase(Locale.ROOT);
    Manifest manifest = kind.prepare(client, repository);
    for (String reference : List.of("v1", manifest.digest())) {
      OciResponse pushed = client.pushManifest(repository, reference, manifest)
          .assertHeader("Docker-Content-Digest", manifest.digest());
      assertEquals("/v2/" + repository + "/manifests/" + manifest.digest(), pushed.locationPath());
      if (kind != ManifestKind.ARTIFACT) {
        assertNull(pushed.header("OCI-Subject"), "OCI-Subject on a manifest without subject");
      }
    }
    client.getManifest(repository, "v1", manifest.mediaType()).assertStatus(200).assertBody(manifest.bytes());
  }

  @Test
  void manifestPushedWithoutContentTypeIsStoredAsItsDeclaredMediaType() {
    Manifest manifest = ManifestKind.OCI_IMAGE.prepare(client, "push/untyped");
    client.put("/v2/push/untyped/manifests/v1", manifest.bytes()).assertStatus(201);
    client.getManifest("push/untyped", "v1", manifest.mediaType()).assertStatus(200).assertBody(manifest.bytes())
        .assertHeader("Content-Type", manifest.mediaType());
  }

  @Test
  void manifestWithSubjectAnswersOciSubject() {
    Manifest subject = ManifestKind.pushedByDigest(client, "push/referrer",
        ManifestKind.ociImage(client, "push/referrer"));
    client.pushBlob("push/referrer", Blob.EMPTY_JSON);
    Manifest artifact = Manifest.artifact("application/vnd.example.signature.v1").subject(subject).build();
    client.pushManifest("push/referrer", artifact.digest(), artifact).assertHeader("OCI-Subject", subject.digest());
  }

  @Test
  void manifestWithADanglingSubjectIsAccepted() {
    Manifest absent = Manifest.ociImage(Blob.random(10)).build();
    client.pushBlob("push/dangling", Blob.EMPTY_JSON);
    Manifest artifact = Manifest.artifact("application/vnd.example.signature.v1").subject(absent).build();
    client.pushManifest("push/dangling", artifact.digest(), artifact).assertHeader("OCI-Subject", absent.digest());
  }

  @Test
  void manifestWithoutLayersAndNestedIndexesAreAccepted() {
    Blob config = Blob.random(32);
    client.pushBlob("push/shapes", config);
    Manifest image = Manifest.ociImage(config).build();
    Manifest index = Manifest.ociIndex().manifest(image).build();
    Manifest outer = Manifest.ociIndex().artifactType("application/vnd.example.bundle.v1").manifest(index).build();
    client.pushManifest("push/shapes", "no-layers", image);
    client.pushManifest("push/shapes", "index", index);
    client.pushManifest("push/shapes", "nested", outer);
    client.getManifest("push/shapes", "nested", Manifest.OCI_INDEX).assertStatus(200).assertBody(outer.bytes());
  }

  @Test
  void manifestReferencingAnUnknownBlobAnswersManifestBlobUnknown() {
    Blob config = Blob.random(32);
    client.pushBlob("push/unknown-blob", config);
    Manifest manifest = Manifest.ociImage(config).layer(Blob.random(64)).build();
    client.putManifest("push/unknown-blob", "v1", manifest).assertError(400, "MANIFEST_BLOB_UNKNOWN");
    client.get("/v2/push/unknown-blob/manifests/v1").assertError(404, "MANIFEST_UNKNOWN");
  }

  @Test
  void indexWithAnUnknownChildAnswersManifestBlobUnknown() {
    Manifest child = Manifest.ociImage(Blob.random(32)).build();
    client.pushBlob("push/unknown-child", Blob.random(8));
    client.putManifest("push/unknown-child", "v1", Manifest.ociIndex().manifest(child).build())
        .assertError(400, "MANIFEST_BLOB_UNKNOWN");
  }

  @Test
  void malformedManifestAnswersManifestInvalid() {
    client.put("/v2/push/malformed/manifests/v1", "{\"schemaVersion\": 2, \"layers\": [".getBytes(),
        "Content-Type", Manifest.OCI_IMAGE).assertError(400, "MANIFEST_INVALID");
  }

  @Test
  void manifestOverFourMebibytesAnswers413() {
    byte[] body = new byte[4 * 1024 * 1024 + 1];
    Arrays.fill(body, (byte) ' ');
    client.put("/v2/push/too-large/manifests/v1", body, "Content-Type", Manifest.OCI_IMAGE)
        .assertError(413, "MANIFEST_INVALID");
    client.get("/v2/push/too-large/manifests/v1").assertStatus(404);
  }

  @Test
  void manifestPutByADigestOtherThanItsOwnAnswersDigestInvalid() {
    Manifest manifest = ManifestKind.OCI_IMAGE.prepare(client, "push/wrong-reference");
    client.putManifest("push/wrong-reference", Blob.random(1).digest(), manifest).assertError(400, "DIGEST_INVALID");
    client.get("/v2/push/wrong-reference/manifests/" + manifest.digest()).assertError(404, "MANIFEST_UNKNOWN");
  }

  /**
   * Tag pushes replace the tag atomically: a reader racing sixteen re-pushes gets 200 and one whole manifest, whose
   * digest is the Docker-Content-Digest it was sent with, never a 404, a 5xx or a mix of two manifests.
   */
  @Test
  void readersSeeOnlyWholeManifestsWhileATagIsRepushed() throws Exception {
    String repository = "push/race";
    Blob config = Blob.random(64);
    Blob layer = Blob.random(64);
    client.pushBlobs(repository, config, layer);
    List<Manifest> versions = new ArrayList<>();
    for (int i = 0; i <= 16; i++) {
      versions.add(Manifest.ociImage(config).layer(layer).annotation("org.example.version", "v" + i).build());
    }
    Map<String, Manifest> byDigest = versions.stream().collect(Collectors.toMap(Manifest::digest, Function.identity()));
    client.pushManifest(repository, "latest", versions.get(0));

    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> tasks = new ArrayList<>();
      for (Manifest version : versions.subList(1, 17)) {
        tasks.add(pool.submit(() -> {
          start.await();
          return client.pushManifest(repository, "latest", version);
        }));
      }
      for (int reader = 0; reader < 16; reader++) {
        tasks.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 8; i++) {
            OciResponse read = client.getManifest(repository, "latest", Manifest.OCI_IMAGE).assertStatus(200);
            Manifest served = byDigest.get(read.header("Docker-Content-Digest"));
            assertTrue(served != null, "unknown Docker-Content-Digest " + read.header("Docker-Content-Digest"));
            read.assertBody(served.bytes());
            assertEquals(served.digest(), Blob.sha256(read.body()));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    String last = client.getManifest(repository, "latest", Manifest.OCI_IMAGE).assertStatus(200)
        .header("Docker-Content-Digest");
    assertTrue(versions.subList(1, 17).stream().anyMatch(version -> version.digest().equals(last)), last);
  }
}
