package io.berth.launcher.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The spec's Content Discovery workflow: tag listing (end-8a, end-8b), the catalog, and referrers (end-12a/b). */
class ContentDiscoveryConformanceTest {
  private static final String TAGS = "discovery/listing";
  private static final String REFERRERS = "discovery/referrers";
  private static final String SBOM = "application/vnd.example.sbom.v1";
  private static final String SIGNATURE = "application/vnd.example.signature.v1";

  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private static Manifest subject;
  private static List<Manifest> referrers;
  private static Manifest danglingReferrer;
  private static Manifest absentSubject;

  private final OciClient client = REGISTRY.client();

  @BeforeAll
  static void pushContent() {
    OciClient client = REGISTRY.client();
    Manifest image = ManifestKind.OCI_IMAGE.prepare(client, TAGS);
    for (String tag : List.of("v3", "v1", "latest", "v2")) {
      client.pushManifest(TAGS, tag, image);
    }

    subject = ManifestKind.pushedByDigest(client, REFERRERS, ManifestKind.ociImage(client, REFERRERS));
    Blob payload = Blob.random(128);
    Blob typedConfig = Blob.random(16);
    client.pushBlobs(REFERRERS, Blob.EMPTY_JSON, payload, typedConfig);
    referrers = List.of(
        Manifest.artifact(SBOM).layer(payload).subject(subject).annotation("org.example.name", "sbom").build(),
        Manifest.artifact(SIGNATURE).subject(subject).annotation("org.example.name", "signature").build(),
        Manifest.ociImage(typedConfig, SBOM).subject(subject).annotation("org.example.name", "typed config").build(),
        Manifest.ociIndex().manifest(subject).subject(subject).annotation("org.example.name", "index").build());
    for (Manifest referrer : referrers) {
      client.pushManifest(REFERRERS, referrer.digest(), referrer).assertHeader("OCI-Subject", subject.digest());
    }
    absentSubject = Manifest.ociImage(Blob.random(8)).build();
    danglingReferrer = Manifest.artifact(SIGNATURE).subject(absentSubject).build();
    client.pushManifest(REFERRERS, danglingReferrer.digest(), danglingReferrer);
  }

  private List<String> tags(String query) {
    OciResponse response = client.get("/v2/" + TAGS + "/tags/list" + query).assertStatus(200);
    assertEquals(TAGS, response.json().getString("name"));
    return strings(response.json().getJsonArray("tags"));
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String.class::cast).toList();
  }

  @Test
  void tagListNamesTheRepositoryAndSortsItsTags() {
    client.get("/v2/" + TAGS + "/tags/list").assertStatus(200).assertHeader("Content-Type", "application/json");
    assertEquals(List.of("latest", "v1", "v2", "v3"), tags(""));
  }

  @Test
  void tagListPagesByNAndLinksTheNextPage() {
    OciResponse first = client.get("/v2/" + TAGS + "/tags/list?n=2").assertStatus(200)
        .assertHeader("Link", "</v2/" + TAGS + "/tags/list?n=2&last=v1>; rel=\"next\"");
    assertEquals(List.of("latest", "v1"), strings(first.json().getJsonArray("tags")));
    String next = first.header("Link").substring(1, first.header("Link").indexOf('>'));
    OciResponse second = client.get(next).assertStatus(200);
    assertEquals(List.of("v2", "v3"), strings(second.json().getJsonArray("tags")));
    assertNull(second.header("Link"), "Link on the last page");
  }

  @Test
  void tagListContinuesAfterLast() {
    assertEquals(List.of("v1", "v2"), tags("?n=2&last=latest"));
    assertEquals(List.of("v2", "v3"), tags("?last=v1"));
    assertEquals(List.of(), tags("?n=3&last=v3"));
  }

  @Test
  void tagListWithNZeroIsEmptyAndHasNoLink() {
    assertEquals(List.of(), tags("?n=0"));
    assertNull(client.get("/v2/" + TAGS + "/tags/list?n=0").header("Link"));
  }

  @Test
  void tagListOfAnUnknownRepositoryAnswersNameUnknown() {
    client.get("/v2/discovery/never-pushed/tags/list").assertError(404, "NAME_UNKNOWN");
  }

  @Test
  void tagListRefusesAnInvalidN() {
    client.get("/v2/" + TAGS + "/tags/list?n=-1").assertError(400, "PAGINATION_NUMBER_INVALID");
    client.get("/v2/" + TAGS + "/tags/list?n=abc").assertError(400, "PAGINATION_NUMBER_INVALID");
  }

  @Test
  void catalogPagesRepositoriesWithNAndLast() {
    List<String> all = strings(client.get("/v2/_catalog").assertStatus(200).json().getJsonArray("repositories"));
    assertEquals(all.stream().sorted().toList(), all);
    assertEquals(List.of(TAGS, REFERRERS), all.stream().filter(name -> name.startsWith("discovery/")).toList());
    OciResponse first = client.get("/v2/_catalog?n=1").assertStatus(200)
        .assertHeader("Link", "</v2/_catalog?n=1&last=" + all.get(0).replace("/", "%2F") + ">; rel=\"next\"");
    assertEquals(all.subList(0, 1), strings(first.json().getJsonArray("repositories")));
    String next = first.header("Link").substring(1, first.header("Link").indexOf('>'));
    assertEquals(all.subList(1, 2), strings(client.get(next).assertStatus(200).json().getJsonArray("repositories")));
    assertEquals(all.subList(1, all.size()),
        strings(client.get("/v2/_catalog?last=" + all.get(0)).assertStatus(200).json().getJsonArray("repositories")));
  }

  @Test
  void catalogRefusesAnNAboveOneThousand() {
    client.get("/v2/_catalog?n=1001").assertError(400, "PAGINATION_NUMBER_INVALID");
  }

  private OciResponse referrersOf(String repository, String digest, String query) {
    return client.get("/v2/" + repository + "/referrers/" + digest + query).assertStatus(200)
        .assertHeader("Content-Type", Manifest.OCI_INDEX);
  }

  /** The descriptors of an index answered by the referrers API, by digest, after checking the index itself. */
  private static Map<String, JsonObject> descriptors(OciResponse response) {
    JsonObject index = response.json();
    assertEquals(2, index.getInteger("schemaVersion"));
    assertEquals(Manifest.OCI_INDEX, index.getString("mediaType"));
    List<JsonObject> manifests = new ArrayList<>();
    index.getJsonArray("manifests").forEach(descriptor -> manifests.add((JsonObject) descriptor));
    return manifests.stream().collect(Collectors.toMap(descriptor -> descriptor.getString("digest"),
        Function.identity()));
  }

  /** As the spec has it: the manifest's artifactType, else its config's media type; an index without one has none. */
  private static void assertDescribes(Manifest manifest, String artifactType, JsonObject descriptor) {
    JsonObject json = new JsonObject(new String(manifest.bytes()));
    assertEquals(manifest.mediaType(), descriptor.getString("mediaType"));
    assertEquals(manifest.size(), descriptor.getLong("size"));
    assertEquals(artifactType, descriptor.getString("artifactType"));
    assertEquals(json.getJsonObject("annotations"), descriptor.getJsonObject("annotations"));
  }

  @Test
  void referrersListsEveryManifestWhoseSubjectIsTheDigest() {
    OciResponse response = referrersOf(REFERRERS, subject.digest(), "");
    assertNull(response.header("OCI-Filters-Applied"));
    Map<String, JsonObject> listed = descriptors(response);
    assertEquals(referrers.stream().map(Manifest::digest).collect(Collectors.toSet()), listed.keySet());
    assertDescribes(referrers.get(0), SBOM, listed.get(referrers.get(0).digest()));
    assertDescribes(referrers.get(1), SIGNATURE, listed.get(referrers.get(1).digest()));
    assertDescribes(referrers.get(2), SBOM, listed.get(referrers.get(2).digest()));
    assertDescribes(referrers.get(3), null, listed.get(referrers.get(3).digest()));
  }

  @Test
  void referrersFilteredByArtifactTypeSayTheFilterWasApplied() {
    OciResponse response = referrersOf(REFERRERS, subject.digest(), "?artifactType=" + SBOM)
        .assertHeader("OCI-Filters-Applied", "artifactType");
    assertEquals(Set.of(referrers.get(0).digest(), referrers.get(2).digest()),
        descriptors(response).keySet());
    assertEquals(Map.of(), descriptors(referrersOf(REFERRERS, subject.digest(), "?artifactType=text/plain")));
  }

  @Test
  void referrersOfASubjectNotInTheRepositoryListsItsDanglingReferrers() {
    assertEquals(Set.of(danglingReferrer.digest()),
        descriptors(referrersOf(REFERRERS, absentSubject.digest(), "")).keySet());
  }

  @Test
  void referrersOfADigestNothingRefersToIsAnEmptyIndex() {
    assertEquals(Map.of(), descriptors(referrersOf(REFERRERS, referrers.get(0).digest(), "")));
    assertEquals(Map.of(), descriptors(referrersOf("discovery/never-pushed", subject.digest(), "")));
  }

  @Test
  void referrersOfAnInvalidDigestAnswers400() {
    client.get("/v2/" + REFERRERS + "/referrers/sha256:not-hex").assertError(400, "DIGEST_INVALID");
  }
}
