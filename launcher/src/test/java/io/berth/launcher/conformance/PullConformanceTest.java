package io.berth.launcher.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The spec's Pull workflow: end-1 (version check), end-2 (blobs, GET and HEAD) and end-3 (manifests). */
class PullConformanceTest {
  /** The error codes the spec allows in an error body. */
  static final List<String> SPEC_ERROR_CODES = List.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
      "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID",
      "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");

  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private final OciClient client = REGISTRY.client();

  @Test
  void versionCheckAnswers200WithTheApiVersionHeader() {
    client.get("/v2/").assertStatus(200).assertHeader("Docker-Distribution-API-Version", "registry/2.0");
  }

  @Test
  void blobIsServedWithItsLengthAndDigestByGetAndHead() {
    Blob blob = Blob.random(4096);
    client.pushBlob("pull/blobs", blob);
    String path = "/v2/pull/blobs/blobs/" + blob.digest();
    for (OciResponse response : List.of(client.get(path).assertBody(blob.bytes()), client.head(path).assertNoBody())) {
      response.assertStatus(200).assertHeader("Docker-Content-Digest", blob.digest())
          .assertHeader("Content-Length", "4096");
    }
  }

  @Test
  void rangeRequestAnswersPartialContent() {
    Blob blob = Blob.random(100);
    client.pushBlob("pull/ranges", blob);
    client.get("/v2/pull/ranges/blobs/" + blob.digest(), "Range", "bytes=10-19").assertStatus(206)
        .assertHeader("Content-Range", "bytes 10-19/100")
        .assertHeader("Content-Length", "10")
        .assertBody(Arrays.copyOfRange(blob.bytes(), 10, 20));
  }

  @Test
  void unsatisfiableRangeAnswers416WithTheBlobSize() {
    Blob blob = Blob.random(100);
    client.pushBlob("pull/ranges", blob);
    client.get("/v2/pull/ranges/blobs/" + blob.digest(), "Range", "bytes=100-199").assertStatus(416)
        .assertHeader("Content-Range", "bytes */100");
  }

  @Test
  void unknownBlobAnswersBlobUnknown() {
    client.pushBlob("pull/unknown", Blob.random(10));
    client.assertUnknown("/v2/pull/unknown/blobs/" + Blob.UNKNOWN_DIGEST, "BLOB_UNKNOWN");
  }

  @Test
  void blobPushedToOneRepositoryIsUnknownInAnother() {
    Blob blob = Blob.random(64);
    client.pushBlob("pull/owner", blob);
    client.pushBlob("pull/stranger", Blob.random(64));
    client.assertUnknown("/v2/pull/stranger/blobs/" + blob.digest(), "BLOB_UNKNOWN");
  }

  @ParameterizedTest
  @EnumSource(ManifestKind.class)
  void manifestIsServedByTagAndByDigestAsPushed(ManifestKind kind) {
    String repository = "pull/" + kind.name().toLowerCase(Locale.ROOT);
    Manifest manifest = kind.prepare(client, repository);
    client.pushManifest(repository, "v1", manifest);
    for (String reference : List.of("v1", manifest.digest())) {
      String path = "/v2/" + repository + "/manifests/" + reference;
      assertServes(client.get(path, "Accept", manifest.mediaType()).assertBody(manifest.bytes()), manifest);
      assertServes(client.head(path, "Accept", manifest.mediaType()).assertNoBody(), manifest);
    }
  }

  private static void assertServes(OciResponse response, Manifest manifest) {
    response.assertStatus(200)
        .assertHeader("Content-Type", manifest.mediaType())
        .assertHeader("Docker-Content-Digest", manifest.digest())
        .assertHeader("Content-Length", Integer.toString(manifest.size()));
  }

  @Test
  void ociManifestIsRefusedToAClientThatAcceptsOnlyDockerManifests() {
    Manifest manifest = ManifestKind.OCI_IMAGE.prepare(client, "pull/negotiation");
    client.pushManifest("pull/negotiation", "v1", manifest);
    client.getManifest("pull/negotiation", "v1", Manifest.DOCKER_IMAGE).assertError(404, "MANIFEST_UNKNOWN");
    client.getManifest("pull/negotiation", "v1", Manifest.DOCKER_IMAGE + ", " + Manifest.OCI_IMAGE)
        .assertStatus(200).assertBody(manifest.bytes());
    client.get("/v2/pull/negotiation/manifests/v1").assertStatus(200).assertBody(manifest.bytes());
  }

  @Test
  void unknownTagOrDigestAnswersManifestUnknown() {
    client.pushManifest("pull/missing", "v1", ManifestKind.OCI_IMAGE.prepare(client, "pull/missing"));
    for (String reference : List.of("nope", Blob.UNKNOWN_DIGEST)) {
      client.assertUnknown("/v2/pull/missing/manifests/" + reference, "MANIFEST_UNKNOWN");
    }
  }

  @Test
  void manifestOfUnknownRepositoryAnswers404() {
    client.get("/v2/pull/never-pushed/manifests/latest").assertStatus(404);
    client.get("/v2/pull/never-pushed/blobs/" + Blob.UNKNOWN_DIGEST).assertStatus(404);
  }

  @Test
  void malformedDigestReferenceAnswers400WithACodeOfTheSpec() {
    OciResponse response = client.send("GET", "/v2/pull/errors/manifests/sha256:totallywrong",
        "{\"invalid\":true}".getBytes(), "Content-Type", Manifest.OCI_IMAGE);
    response.assertError(400, "DIGEST_INVALID");
    assertTrue(SPEC_ERROR_CODES.contains(response.json().getJsonArray("errors").getJsonObject(0).getString("code")));
  }

  @Test
  void blobsReadOverTheEventBusAreByteExact() throws Exception {
    try (BusReadRegistry busRegistry = BusReadRegistry.start()) {
      OciClient busClient = new OciClient(busRegistry.baseUrl());
      Blob blob = Blob.random(5 * 1024 * 1024 + 123);
      busClient.pushBlob("pull/bus", blob);
      String path = "/v2/pull/bus/blobs/" + blob.digest();
      busClient.get(path).assertStatus(200).assertBody(blob.bytes())
          .assertHeader("Content-Length", Integer.toString(blob.size()))
          .assertHeader("Docker-Content-Digest", blob.digest());
      busClient.head(path).assertStatus(200).assertNoBody()
          .assertHeader("Content-Length", Integer.toString(blob.size()));
      int first = 1024 * 1024 - 7;
      int last = 3 * 1024 * 1024 + 11;
      busClient.get(path, "Range", "bytes=" + first + "-" + last).assertStatus(206)
          .assertHeader("Content-Range", "bytes " + first + "-" + last + "/" + blob.size())
          .assertBody(Arrays.copyOfRange(blob.bytes(), first, last + 1));
    }
  }
}
