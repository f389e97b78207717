package io.berth.launcher.conformance;

import static io.berth.launcher.conformance.Blob.UNKNOWN_DIGEST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.launcher.RunningRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Error paths across the API: invalid names, digests and tags, unknown endpoints and methods. Each answers its 4xx
 * with the spec's error body; none redirects or lets a name reach storage outside the registry's root.
 */
class ErrorConformanceTest {
  /** Names outside the spec's grammar, or ones a path could be normalised into something else from. */
  private static final List<String> INVALID_NAMES = List.of("Upper", "errors/Upper", "errors/../escape",
      "../../../../escape", "errors/./dot", "errors//double", "_leading", "errors/_leading", "trailing-",
      "%2e%2e/%2e%2e/escape", "errors%2Fencoded", "a".repeat(256));

  @RegisterExtension
  static final RegistryExtension REGISTRY = new RegistryExtension();

  private final OciClient client = REGISTRY.client();

  /** Every endpoint that takes a name, as one request each. */
  private static List<OciResponse> requestsNaming(OciClient client, String name, Blob blob, Manifest manifest) {
    String v2 = "/v2/" + name;
    return List.of(
        client.get(v2 + "/tags/list"),
        client.get(v2 + "/manifests/latest"),
        client.head(v2 + "/manifests/latest"),
        client.putManifest(name, "latest", manifest),
        client.delete(v2 + "/manifests/" + manifest.digest()),
        client.get(v2 + "/blobs/" + blob.digest()),
        client.head(v2 + "/blobs/" + blob.digest()),
        client.delete(v2 + "/blobs/" + blob.digest()),
        client.post(v2 + "/blobs/uploads/", null),
        client.post(v2 + "/blobs/uploads/?digest=" + blob.digest(), blob.bytes(),
            "Content-Type", OciClient.OCTET_STREAM),
        client.get(v2 + "/blobs/uploads/" + "0d6a8f4c-6b0e-4c55-9d7a-2f1f6f5b8f10"),
        client.get(v2 + "/referrers/" + manifest.digest()),
        client.post("/v2/errors/target/blobs/uploads/?mount=" + blob.digest() + "&from="
            + URLEncoder.encode(name, StandardCharsets.UTF_8), null));
  }

  @Test
  void invalidNamesAnswerNameInvalidAndNeverReachStorage() throws Exception {
    Path parent = Files.createTempDirectory("berth-names");
    Path root = Files.createDirectories(parent.resolve("storage"));
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      OciClient names = new OciClient(registry.baseUrl());
      Blob blob = Blob.random(32);
      Manifest manifest = Manifest.ociImage(blob).build();
      for (String name : INVALID_NAMES) {
        for (OciResponse response : requestsNaming(names, name, blob, manifest)) {
          response.assertError(400, "NAME_INVALID");
        }
      }
      try (Stream<Path> outside = Files.list(parent)) {
        assertEquals(List.of(root), outside.toList());
      }
    } finally {
      RunningRegistry.deleteTree(parent);
    }
  }

  @Test
  void nameOfTheLongestAllowedLengthIsValid() {
    client.get("/v2/" + "a".repeat(255) + "/tags/list").assertError(404, "NAME_UNKNOWN");
  }

  @Test
  void invalidDigestsAnswerDigestInvalid() {
    for (String digest : List.of("sha256:abc", "sha256:" + "G".repeat(64), "md5:" + "0".repeat(32), "nocolon")) {
      client.get("/v2/errors/digests/blobs/" + digest).assertError(400, "DIGEST_INVALID");
    }
    client.get("/v2/errors/digests/manifests/sha256:abc").assertError(400, "DIGEST_INVALID");
  }

  @Test
  void invalidTagsAnswerTagInvalid() {
    Manifest manifest = ManifestKind.OCI_IMAGE.prepare(client, "errors/tags");
    for (String tag : List.of("-leading-dash", ".leading-dot", "t".repeat(129))) {
      client.putManifest("errors/tags", tag, manifest).assertError(400, "TAG_INVALID");
    }
  }

  /** The OCI conformance suite reads {@code .INVALID_MANIFEST_NAME}: a reference that is no tag names no manifest. */
  @Test
  void referencesThatAreNoTagNameNoManifest() {
    Manifest manifest = ManifestKind.OCI_IMAGE.prepare(client, "errors/references");
    client.putManifest("errors/references", "1.0", manifest).assertStatus(201);
    for (String repository : List.of("errors/references", "errors/no-such-repository")) {
      for (String reference : List.of(".INVALID_MANIFEST_NAME", "-leading-dash", "t".repeat(129), "a+b")) {
        String path = "/v2/" + repository + "/manifests/" + reference;
        client.get(path).assertError(404, "MANIFEST_UNKNOWN");
        client.head(path).assertError(404, "MANIFEST_UNKNOWN");
        client.delete(path).assertError(404, "MANIFEST_UNKNOWN");
      }
    }
    client.get("/v2/errors/references/manifests/1.0").assertStatus(200);
  }

  @Test
  void unknownEndpointsAnswer404WithAnErrorBody() {
    for (String path : List.of("/", "/v1/", "/v3/", "/v2/errors/endpoints/unknown", "/v2/errors/endpoints/blobs/",
        "/v2/errors/endpoints/manifests/")) {
      client.get(path).assertError(404, "NOT_FOUND");
    }
  }

  @Test
  void wrongMethodsOnKnownEndpointsAnswerUnsupported() {
    String blob = "/v2/errors/methods/blobs/" + UNKNOWN_DIGEST;
    client.send("DELETE", "/v2/", null).assertError(405, "UNSUPPORTED");
    client.send("POST", "/v2/errors/methods/tags/list", new byte[0]).assertError(405, "UNSUPPORTED");
    client.send("PUT", "/v2/_catalog", new byte[0]).assertError(405, "UNSUPPORTED");
    client.send("PUT", blob, new byte[0]).assertError(405, "UNSUPPORTED");
    client.send("PATCH", blob, new byte[0]).assertError(405, "UNSUPPORTED");
    client.send("POST", "/v2/errors/methods/manifests/v1", new byte[0]).assertError(405, "UNSUPPORTED");
    client.send("DELETE", "/v2/errors/methods/referrers/" + UNKNOWN_DIGEST, null).assertError(405, "UNSUPPORTED");
  }
}
