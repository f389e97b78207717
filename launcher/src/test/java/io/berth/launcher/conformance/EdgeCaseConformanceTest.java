package io.berth.launcher.conformance;

import static io.berth.launcher.conformance.Blob.UNKNOWN_DIGEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The edge cases of references, names, digests and listing parameters that DESIGN's table (§"a manifest reference
 * that is no tag names no manifest") compares with distribution 3, zot and the OCI conformance suite: one test per
 * row, named by the row, over real HTTP to an all-in-one registry.
 */
class EdgeCaseConformanceTest {
  private static final String REPOSITORY = "edges/repository";
  private static final String MISSING = "edges/never-pushed";
  private static final String HEX64 = "0123456789abcdef".repeat(4);
  private static final String TAG_128 = "t".repeat(128);

  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private static Manifest manifest;

  private final OciClient client = REGISTRY.client();

  @BeforeAll
  static void pushContent() {
    OciClient client = REGISTRY.client();
    manifest = ManifestKind.OCI_IMAGE.prepare(client, REPOSITORY);
    for (String tag : List.of("a", "b", "c")) {
      client.pushManifest(REPOSITORY, tag, manifest);
    }
  }

  private static String manifestPath(String reference) {
    return "/v2/" + REPOSITORY + "/manifests/" + reference;
  }

  /** GET, HEAD and DELETE of a manifest reference both in a repository that exists and in one that does not. */
  private void assertNamesNoManifest(String reference) {
    for (String repository : List.of(REPOSITORY, MISSING)) {
      String path = "/v2/" + repository + "/manifests/" + reference;
      client.get(path).assertError(404, "MANIFEST_UNKNOWN");
      client.head(path).assertError(404, "MANIFEST_UNKNOWN");
      client.delete(path).assertError(404, "MANIFEST_UNKNOWN");
    }
  }

  private List<String> tags(String query) {
    JsonArray tags = client.get("/v2/" + REPOSITORY + "/tags/list" + query).assertStatus(200).json()
        .getJsonArray("tags");
    return tags.stream().map(String::valueOf).toList();
  }

  @Test
  void m1ReferenceThatIsNoTagNamesNoManifest() {
    assertNamesNoManifest(".INVALID_MANIFEST_NAME");
  }

  @Test
  void m2TagOf129CharactersNamesNoManifest() {
    assertNamesNoManifest("t".repeat(129));
  }

  @Test
  void m3TagOf128CharactersIsATag() {
    Manifest image = ManifestKind.OCI_IMAGE.prepare(client, "edges/longest-tag");
    client.pushManifest("edges/longest-tag", TAG_128, image);
    client.getManifest("edges/longest-tag", TAG_128, Manifest.OCI_IMAGE).assertStatus(200);
  }

  @Test
  void m4UnknownSha256DigestNamesNoManifest() {
    assertNamesNoManifest(UNKNOWN_DIGEST);
  }

  @Test
  void m5UnknownSha512DigestNamesNoManifest() {
    assertNamesNoManifest("sha512:" + HEX64 + HEX64);
  }

  @Test
  void m6MalformedDigestOfAnAlgorithmTakenIsDigestInvalid() {
    for (String reference : List.of("sha256:abc", "sha256:baddigeststring", "sha256:" + HEX64.substring(0, 40),
        "sha256:" + HEX64.toUpperCase(), "sha512:" + HEX64)) {
      client.get(manifestPath(reference)).assertError(400, "DIGEST_INVALID");
    }
  }

  @Test
  void m7DigestOfAnAlgorithmNotTakenNamesNoManifest() {
    for (String reference : List.of("md5:" + HEX64.substring(0, 32), "sha384:" + HEX64 + HEX64.substring(0, 32),
        "SHA256:" + HEX64, "foo:bar")) {
      assertNamesNoManifest(reference);
    }
  }

  @Test
  void m8PutToAnInvalidTagIsTagInvalid() {
    client.putManifest(REPOSITORY, ".INVALID_MANIFEST_NAME", manifest).assertError(400, "TAG_INVALID");
  }

  @Test
  void m9PutToAMalformedDigestIsDigestInvalid() {
    client.putManifest(REPOSITORY, "sha256:baddigeststring", manifest).assertError(400, "DIGEST_INVALID");
  }

  @Test
  void m10PutToADigestOfAnAlgorithmNotTakenIsDigestInvalid() {
    client.putManifest(REPOSITORY, "md5:" + HEX64.substring(0, 32), manifest).assertError(400, "DIGEST_INVALID");
  }

  @Test
  void m11DeleteOfATagRemovesTheTag() {
    client.pushManifest(REPOSITORY, "doomed", manifest);
    client.delete(manifestPath("doomed")).assertStatus(202);
    client.get(manifestPath("doomed")).assertError(404, "MANIFEST_UNKNOWN");
  }

  @Test
  void m12DeleteOfAnUnknownTagIsManifestUnknown() {
    client.delete(manifestPath("never-tagged")).assertError(404, "MANIFEST_UNKNOWN");
  }

  @Test
  void n1UpperCaseNameIsNameInvalid() {
    client.get("/v2/edges/Upper/tags/list").assertError(400, "NAME_INVALID");
  }

  @Test
  void n2DoubleDotInAComponentIsNameInvalid() {
    client.get("/v2/edges/a..b/tags/list").assertError(400, "NAME_INVALID");
  }

  @Test
  void n3DotDotSegmentIsNameInvalid() {
    client.get("/v2/edges/../repository/tags/list").assertError(400, "NAME_INVALID");
  }

  @Test
  void n4EmptySegmentIsNameInvalid() {
    client.get("/v2/edges//repository/tags/list").assertError(400, "NAME_INVALID");
  }

  @Test
  void n5TrailingSlashAfterAnEndpointIsNoEndpoint() {
    client.get("/v2/" + REPOSITORY + "/tags/list/").assertError(404, "NOT_FOUND");
  }

  @Test
  void n6NameOf256CharactersIsNameInvalid() {
    client.get("/v2/" + "a".repeat(256) + "/tags/list").assertError(400, "NAME_INVALID");
  }

  @Test
  void n7NameOf255CharactersIsAName() {
    client.get("/v2/" + "a".repeat(255) + "/tags/list").assertError(404, "NAME_UNKNOWN");
  }

  @Test
  void n8NameWithAHostAndPortIsNameInvalid() {
    client.get("/v2/localhost:5000/edges/tags/list").assertError(400, "NAME_INVALID");
  }

  @Test
  void b1BlobDigestWithTooFewHexDigitsIsDigestInvalid() {
    client.get("/v2/" + REPOSITORY + "/blobs/sha256:abc").assertError(400, "DIGEST_INVALID");
  }

  @Test
  void b2BlobDigestOf63HexDigitsIsDigestInvalid() {
    client.get("/v2/" + REPOSITORY + "/blobs/sha256:" + HEX64.substring(1)).assertError(400, "DIGEST_INVALID");
  }

  @Test
  void b3BlobDigestInUpperCaseHexIsDigestInvalid() {
    client.get("/v2/" + REPOSITORY + "/blobs/sha256:" + HEX64.toUpperCase()).assertError(400, "DIGEST_INVALID");
  }

  @Test
  void b4BlobDigestOfAnAlgorithmNotTakenIsDigestInvalid() {
    client.get("/v2/" + REPOSITORY + "/blobs/md5:" + HEX64.substring(0, 32)).assertError(400, "DIGEST_INVALID");
  }

  @Test
  void b5BlobPathWithNoDigestIsDigestInvalid() {
    client.get("/v2/" + REPOSITORY + "/blobs/latest").assertError(400, "DIGEST_INVALID");
  }

  @Test
  void b6UnknownSha512BlobIsBlobUnknown() {
    client.assertUnknown("/v2/" + REPOSITORY + "/blobs/sha512:" + HEX64 + HEX64, "BLOB_UNKNOWN");
  }

  @Test
  void t1TagListWithNZeroIsEmptyWithoutLink() {
    OciResponse response = client.get("/v2/" + REPOSITORY + "/tags/list?n=0").assertStatus(200);
    assertEquals(List.of(), response.json().getJsonArray("tags").getList());
    assertNull(response.header("Link"));
  }

  @Test
  void t2TagListWithNZeroOfAnUnknownRepositoryIsNameUnknown() {
    client.get("/v2/" + MISSING + "/tags/list?n=0").assertError(404, "NAME_UNKNOWN");
  }

  @Test
  void t3TagListWithANegativeNIsPaginationNumberInvalid() {
    client.get("/v2/" + REPOSITORY + "/tags/list?n=-1").assertError(400, "PAGINATION_NUMBER_INVALID");
  }

  @Test
  void t4TagListWithAnNBeyondAnIntListsEveryTag() {
    assertEquals(List.of("a", "b", "c"), tags("?n=" + (Integer.MAX_VALUE + 1L)));
  }

  @Test
  void t5TagListWithAnNBeyondALongIsPaginationNumberInvalid() {
    client.get("/v2/" + REPOSITORY + "/tags/list?n=18446744073709551616")
        .assertError(400, "PAGINATION_NUMBER_INVALID");
  }

  @Test
  void t6TagListAfterALastThatIsNoTagListsTheTagsAfterIt() {
    assertEquals(List.of("b", "c"), tags("?last=a.missing"));
  }

  @Test
  void u1UploadUrlWhoseIdIsNoUuidIsBlobUploadUnknown() {
    String session = "/v2/" + REPOSITORY + "/blobs/uploads/not-a-uuid";
    client.get(session).assertError(404, "BLOB_UPLOAD_UNKNOWN");
    client.patch(session, new byte[1], "Content-Type", OciClient.OCTET_STREAM)
        .assertError(404, "BLOB_UPLOAD_UNKNOWN");
    client.put(session + "?digest=" + UNKNOWN_DIGEST, new byte[0], "Content-Type", OciClient.OCTET_STREAM)
        .assertError(404, "BLOB_UPLOAD_UNKNOWN");
    client.delete(session).assertError(404, "BLOB_UPLOAD_UNKNOWN");
  }

  @Test
  void f1ReferrersOfAMalformedDigestIsDigestInvalid() {
    client.get("/v2/" + REPOSITORY + "/referrers/sha256:abc").assertError(400, "DIGEST_INVALID");
  }

  @Test
  void f2ReferrersOfAnUnknownDigestIsAnEmptyIndex() {
    OciResponse response = client.get("/v2/" + REPOSITORY + "/referrers/" + UNKNOWN_DIGEST).assertStatus(200)
        .assertHeader("Content-Type", Manifest.OCI_INDEX);
    assertEquals(List.of(), response.json().getJsonArray("manifests").getList());
  }
}
