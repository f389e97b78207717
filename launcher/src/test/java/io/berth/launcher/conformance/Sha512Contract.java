package io.berth.launcher.conformance;

import static io.berth.launcher.conformance.OciClient.OCTET_STREAM;
import static io.berth.launcher.conformance.OciClient.withQuery;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Content named by sha512 digests, as the conformance suite of distribution-spec main pushes it: blob uploads of every
 * shape completed with a sha512 digest (verified by re-reading the upload at commit), mounts, and manifests pushed,
 * read and deleted by their sha512 digest. Run on the file system and on S3 by its subclasses.
 */
abstract class Sha512Contract {

  abstract OciClient client();

  private String startUpload(String repository) {
    return client().post("/v2/" + repository + "/blobs/uploads/", new byte[0]).assertStatus(202).header("Location");
  }

  private OciResponse patch(String location, byte[] bytes, int from, int to) {
    return client().patch(location, Arrays.copyOfRange(bytes, from, to), "Content-Type", OCTET_STREAM,
        "Content-Range", from + "-" + (to - 1)).assertStatus(202);
  }

  /** Created under its sha512 digest, served by it (GET and HEAD), and not by the sha256 digest of its bytes. */
  private void assertCreated(OciResponse response, String repository, Blob blob) {
    response.assertStatus(201).assertHeader("Docker-Content-Digest", blob.digest());
    assertEquals("/v2/" + repository + "/blobs/" + blob.digest(), response.locationPath());
    client().get(response.header("Location")).assertStatus(200).assertBody(blob.bytes())
        .assertHeader("Docker-Content-Digest", blob.digest());
    client().head("/v2/" + repository + "/blobs/" + blob.digest()).assertStatus(200)
        .assertHeader("Docker-Content-Digest", blob.digest())
        .assertHeader("Content-Length", Integer.toString(blob.size()));
    client().assertUnknown("/v2/" + repository + "/blobs/" + Blob.sha256(blob.bytes()), "BLOB_UNKNOWN");
  }

  private void pushBlobs(String repository, Blob... blobs) {
    for (Blob blob : blobs) {
      String location = startUpload(repository);
      assertCreated(client().put(withQuery(location, "digest", blob.digest()), blob.bytes(),
          "Content-Type", OCTET_STREAM), repository, blob);
    }
  }

  @Test
  void postThenPutUploadsABlobNamedBySha512() {
    Blob blob = Blob.random(2048).sha512();
    String location = startUpload("sha512/monolithic");
    assertCreated(client().put(withQuery(location, "digest", blob.digest()), blob.bytes(),
        "Content-Type", OCTET_STREAM), "sha512/monolithic", blob);
  }

  @Test
  void singlePostWithASha512DigestUploadsABlob() {
    Blob blob = Blob.random(3000).sha512();
    assertCreated(client().post("/v2/sha512/single-post/blobs/uploads/?digest=" + blob.digest(), blob.bytes(),
        "Content-Type", OCTET_STREAM), "sha512/single-post", blob);
  }

  /** Over 5 MiB in two requests: on S3 the upload is a multipart upload whose first request leaves a short part. */
  @Test
  void chunksThenAClosingPutWithTheLastChunkMakeASha512Blob() {
    Blob blob = Blob.random(6 * 1024 * 1024 + 4321).sha512();
    String location = startUpload("sha512/chunked");
    location = patch(location, blob.bytes(), 0, 3 * 1024 * 1024).header("Location");
    location = patch(location, blob.bytes(), 3 * 1024 * 1024, 6 * 1024 * 1024).header("Location");
    assertCreated(client().put(withQuery(location, "digest", blob.digest()),
        Arrays.copyOfRange(blob.bytes(), 6 * 1024 * 1024, blob.size()), "Content-Type", OCTET_STREAM,
        "Content-Range", 6 * 1024 * 1024 + "-" + (blob.size() - 1)), "sha512/chunked", blob);
  }

  @Test
  void aStreamedPatchThenAnEmptyPutMakeASha512Blob() {
    Blob blob = Blob.random(5000).sha512();
    String location = client().patch(startUpload("sha512/streamed"), blob.bytes(), "Content-Type", OCTET_STREAM)
        .assertStatus(202).header("Location");
    assertCreated(client().put(withQuery(location, "digest", blob.digest()), new byte[0]), "sha512/streamed", blob);
  }

  @Test
  void theEmptyBlobAndTheEmptyJsonUploadUnderSha512() {
    pushBlobs("sha512/empty", Blob.of(new byte[0]).sha512(), Blob.EMPTY_JSON.sha512());
  }

  @Test
  void aSha512BlobMountsFromARepositoryHoldingIt() {
    Blob blob = Blob.random(512).sha512();
    pushBlobs("sha512/mount-source", blob);
    assertCreated(client().post("/v2/sha512/mount-target/blobs/uploads/?mount=" + blob.digest()
        + "&from=sha512/mount-source", null), "sha512/mount-target", blob);
  }

  @Test
  void aSha512DigestOfOtherBytesIsRefusedNamingBothDigestsAndNothingIsKept() {
    Blob blob = Blob.random(1000).sha512();
    Blob claimed = Blob.random(1000).sha512();
    String expected = "provided digest " + claimed.digest() + " does not match uploaded content " + blob.digest();
    String location = startUpload("sha512/wrong-digest");
    OciResponse refused = client().put(withQuery(location, "digest", claimed.digest()), blob.bytes(),
        "Content-Type", OCTET_STREAM).assertError(400, "DIGEST_INVALID");
    assertEquals(expected, refused.json().getJsonArray("errors").getJsonObject(0).getString("message"));
    client().get(location).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    refused = client().post("/v2/sha512/wrong-digest/blobs/uploads/?digest=" + claimed.digest(), blob.bytes(),
        "Content-Type", OCTET_STREAM).assertError(400, "DIGEST_INVALID");
    assertEquals(expected, refused.json().getJsonArray("errors").getJsonObject(0).getString("message"));
    for (String digest : new String[] {claimed.digest(), blob.digest(), Blob.sha256(blob.bytes())}) {
      client().assertUnknown("/v2/sha512/wrong-digest/blobs/" + digest, "BLOB_UNKNOWN");
    }
  }

  /** A manifest of sha512 blobs, pushed by its sha512 digest, is stored, read and deleted by that digest. */
  @Test
  void aManifestPushedByItsSha512DigestIsReadAndDeletedByIt() {
    String repository = "sha512/manifest";
    Blob config = Blob.of("{\"architecture\":\"amd64\",\"os\":\"linux\"}").sha512();
    Blob layer = Blob.random(1024).sha512();
    pushBlobs(repository, config, layer);
    Manifest manifest = Manifest.ociImage(config).layer(layer).build().sha512();
    String path = "/v2/" + repository + "/manifests/" + manifest.digest();

    OciResponse pushed = client().pushManifest(repository, manifest.digest(), manifest)
        .assertHeader("Docker-Content-Digest", manifest.digest());
    assertEquals(path, pushed.locationPath());
    client().getManifest(repository, manifest.digest(), Manifest.OCI_IMAGE).assertStatus(200)
        .assertBody(manifest.bytes()).assertHeader("Docker-Content-Digest", manifest.digest())
        .assertHeader("Content-Type", Manifest.OCI_IMAGE);
    client().head(path, "Accept", Manifest.OCI_IMAGE).assertStatus(200)
        .assertHeader("Docker-Content-Digest", manifest.digest())
        .assertHeader("Content-Length", Integer.toString(manifest.size()));
    client().assertUnknown("/v2/" + repository + "/manifests/" + Blob.sha256(manifest.bytes()), "MANIFEST_UNKNOWN");

    client().delete(path).assertStatus(202);
    client().assertUnknown(path, "MANIFEST_UNKNOWN");
  }

  @Test
  void anIndexOfSha512ChildrenAndAReferrerOfASha512SubjectArePushedBySha512() {
    String repository = "sha512/index";
    Blob config = Blob.of("{\"architecture\":\"arm64\",\"os\":\"linux\"}").sha512();
    Blob layer = Blob.random(512).sha512();
    Blob empty = Blob.EMPTY_JSON.sha512();
    pushBlobs(repository, config, layer, empty);
    Manifest child = Manifest.ociImage(config).layer(layer).build().sha512();
    client().pushManifest(repository, child.digest(), child);
    Manifest index = Manifest.ociIndex().manifest(child).build().sha512();
    client().pushManifest(repository, index.digest(), index).assertHeader("Docker-Content-Digest", index.digest());
    client().getManifest(repository, index.digest(), Manifest.OCI_INDEX).assertStatus(200).assertBody(index.bytes());

    Manifest referrer = Manifest.ociImage(empty, Blob.EMPTY_JSON_MEDIA_TYPE)
        .artifactType("application/vnd.example.signature.v1").subject(index).build().sha512();
    client().pushManifest(repository, referrer.digest(), referrer).assertHeader("OCI-Subject", index.digest())
        .assertHeader("Docker-Content-Digest", referrer.digest());
    JsonArray referrers = client().get("/v2/" + repository + "/referrers/" + index.digest()).assertStatus(200).json()
        .getJsonArray("manifests");
    assertEquals(1, referrers.size(), referrers::encode);
    JsonObject descriptor = referrers.getJsonObject(0);
    assertEquals(referrer.digest(), descriptor.getString("digest"));
    assertEquals("application/vnd.example.signature.v1", descriptor.getString("artifactType"));
  }

  @Test
  void aManifestPutByASha512DigestOfOtherBytesAnswersDigestInvalid() {
    String repository = "sha512/wrong-manifest";
    Blob config = Blob.random(64).sha512();
    pushBlobs(repository, config);
    Manifest manifest = Manifest.ociImage(config).build().sha512();
    String other = Blob.random(8).sha512().digest();
    OciResponse refused = client().putManifest(repository, other, manifest).assertError(400, "DIGEST_INVALID");
    assertEquals("manifest digest " + manifest.digest() + " does not match " + other,
        refused.json().getJsonArray("errors").getJsonObject(0).getString("message"));
    client().assertUnknown("/v2/" + repository + "/manifests/" + other, "MANIFEST_UNKNOWN");
    client().assertUnknown("/v2/" + repository + "/manifests/" + manifest.digest(), "MANIFEST_UNKNOWN");
  }

  /** A tag names the manifest by its canonical digest, sha256, whatever digests it references. */
  @Test
  void aManifestOfSha512BlobsPushedByTagIsNamedBySha256() {
    String repository = "sha512/tagged";
    Blob config = Blob.random(64).sha512();
    pushBlobs(repository, config);
    Manifest manifest = Manifest.ociImage(config).build();
    client().pushManifest(repository, "v1", manifest).assertHeader("Docker-Content-Digest", manifest.digest());
    client().getManifest(repository, "v1", Manifest.OCI_IMAGE).assertStatus(200)
        .assertHeader("Docker-Content-Digest", manifest.digest());
  }
}
