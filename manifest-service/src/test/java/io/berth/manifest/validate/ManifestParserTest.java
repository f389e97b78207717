package io.berth.manifest.validate;

import static io.berth.common.oci.MediaTypes.DOCKER_MANIFEST;
import static io.berth.common.oci.MediaTypes.DOCKER_MANIFEST_LIST;
import static io.berth.common.oci.MediaTypes.DOCKER_SCHEMA1;
import static io.berth.common.oci.MediaTypes.DOCKER_SCHEMA1_SIGNED;
import static io.berth.common.oci.MediaTypes.OCI_INDEX;
import static io.berth.common.oci.MediaTypes.OCI_MANIFEST;
import static io.berth.common.testing.Await.throwsRegistryError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestParserTest {
  private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
  private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  private static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  private static List<Digest> digests(char... cs) {
    return new String(cs).chars().mapToObj(c -> Digest.parse(digest((char) c))).toList();
  }

  private static JsonObject descriptor(String mediaType, char c, long size) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest(c)).put("size", size);
  }

  /** An image manifest with config 'c' and layers '1' and '2'; {@code mediaType} null leaves the field out. */
  private static JsonObject image(String mediaType) {
    return withMediaType(mediaType)
        .put("config", descriptor(CONFIG_TYPE, 'c', 100))
        .put("layers", new JsonArray().add(descriptor(LAYER_TYPE, '1', 1000)).add(descriptor(LAYER_TYPE, '2', 2000)));
  }

  /** An index of manifests 'a' and 'b'. */
  private static JsonObject index(String mediaType) {
    return withMediaType(mediaType)
        .put("manifests", new JsonArray().add(descriptor(OCI_MANIFEST, 'a', 500)).add(descriptor(OCI_MANIFEST, 'b', 600)));
  }

  private static JsonObject withMediaType(String mediaType) {
    JsonObject json = new JsonObject().put("schemaVersion", 2);
    return mediaType == null ? json : json.put("mediaType", mediaType);
  }

  private static ParsedManifest parse(String contentType, JsonObject body) {
    return ManifestParser.parse(contentType, body.toBuffer());
  }

  private static RegistryException assertInvalid(String contentType, Buffer body) {
    return throwsRegistryError(ErrorCode.MANIFEST_INVALID, () -> ManifestParser.parse(contentType, body));
  }

  private static RegistryException assertInvalid(JsonObject body) {
    return assertInvalid(null, body.toBuffer());
  }

  private static void assertImage(String mediaType, ParsedManifest parsed) {
    assertEquals(mediaType, parsed.mediaType());
    assertEquals(digests('c', '1', '2'), parsed.blobs());
    assertEquals(List.of(), parsed.children());
  }

  private static void assertIndex(String mediaType, ParsedManifest parsed) {
    assertEquals(mediaType, parsed.mediaType());
    assertEquals(List.of(), parsed.blobs());
    assertEquals(digests('a', 'b'), parsed.children());
  }

  @ParameterizedTest
  @ValueSource(strings = {OCI_MANIFEST, DOCKER_MANIFEST})
  void anImageManifestIsKnownByItsBodyMediaType(String mediaType) {
    assertImage(mediaType, parse(null, image(mediaType)));
    assertImage(mediaType, parse(mediaType, image(mediaType)));
  }

  @ParameterizedTest
  @ValueSource(strings = {OCI_INDEX, DOCKER_MANIFEST_LIST})
  void anIndexIsKnownByItsBodyMediaType(String mediaType) {
    assertIndex(mediaType, parse(null, index(mediaType)));
    assertIndex(mediaType, parse(mediaType, index(mediaType)));
  }

  @ParameterizedTest
  @ValueSource(strings = {OCI_MANIFEST, DOCKER_MANIFEST})
  void anImageManifestWithoutMediaTypeIsKnownByContentType(String mediaType) {
    assertImage(mediaType, parse(mediaType, image(null)));
    assertImage(mediaType, parse(mediaType + "; charset=utf-8", image(null)));
  }

  @ParameterizedTest
  @ValueSource(strings = {OCI_INDEX, DOCKER_MANIFEST_LIST})
  void anIndexWithoutMediaTypeIsKnownByContentType(String mediaType) {
    assertIndex(mediaType, parse(mediaType, index(null)));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"application/json", "application/octet-stream", DOCKER_SCHEMA1})
  void withoutAManifestTypeAnywhereTheShapeDecides(String contentType) {
    assertImage(OCI_MANIFEST, parse(contentType, image(null)));
    assertIndex(OCI_INDEX, parse(contentType, index(null)));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED})
  void dockerSchema1IsRefused(String contentType) {
    JsonObject schema1 = new JsonObject().put("schemaVersion", 1).put("name", "team/app").put("tag", "latest")
        .put("fsLayers", new JsonArray().add(new JsonObject().put("blobSum", digest('1'))));

    RegistryException error = assertInvalid(contentType, schema1.toBuffer());

    assertTrue(error.getMessage().contains("schema 1"), error.getMessage());
  }

  @Test
  void aBodyMediaTypeContradictingTheContentTypeIsRefused() {
    assertInvalid(DOCKER_MANIFEST, image(OCI_MANIFEST).toBuffer());
    assertInvalid(OCI_MANIFEST, index(OCI_INDEX).toBuffer());
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/vnd.oci.artifact.manifest.v1+json", "application/json", DOCKER_SCHEMA1})
  void anUnsupportedBodyMediaTypeIsRefused(String mediaType) {
    assertInvalid(image(mediaType));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "[]", "[{\"schemaVersion\":2}]", "null", "\"manifest\"", "42", "", "{\"schemaVersion\":2}x"})
  void aBodyThatIsNotAJsonObjectIsRefused(String body) {
    assertInvalid(OCI_MANIFEST, Buffer.buffer(body));
  }

  @ParameterizedTest
  @ValueSource(ints = {1_000, 100_000})
  void aBodyNestedDeeperThanJacksonsLimitIsRefusedNotAStackOverflow(int depth) {
    String body = "{\"schemaVersion\":2,\"annotations\":{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";

    assertInvalid(OCI_MANIFEST, Buffer.buffer(body));
  }

  @ParameterizedTest
  @ValueSource(strings = {"3", "\"2\"", "null", "2.5"})
  void aSchemaVersionOtherThanTwoIsRefused(String schemaVersion) {
    assertInvalid(image(OCI_MANIFEST).put("schemaVersion", Json.decodeValue(schemaVersion)));
  }

  @Test
  void anImageManifestWithoutConfigIsRefused() {
    JsonObject manifest = image(OCI_MANIFEST);
    manifest.remove("config");

    assertInvalid(manifest);
    assertInvalid(image(OCI_MANIFEST).put("config", digest('c')));
  }

  @Test
  void anImageManifestWithoutLayersIsRefused() {
    JsonObject manifest = image(OCI_MANIFEST);
    manifest.remove("layers");

    assertInvalid(manifest);
    assertInvalid(image(OCI_MANIFEST).put("layers", descriptor(LAYER_TYPE, '1', 1)));
  }

  @Test
  void anIndexWithoutManifestsIsRefused() {
    JsonObject manifest = index(OCI_INDEX);
    manifest.remove("manifests");

    assertInvalid(manifest);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "digest    | \"sha256:xyz\"",
      "digest    | \"sha256:" + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"",
      "digest    | \"md5:d41d8cd98f00b204e9800998ecf8427e\"",
      "digest    | 12",
      "digest    | null",
      "size      | -1",
      "size      | \"1000\"",
      "size      | null",
      "mediaType | 7",
      "mediaType | null"})
  void aBadDescriptorFieldIsRefusedWherever(String field, String value) {
    Object bad = Json.decodeValue(value);

    assertInvalid(image(OCI_MANIFEST).put("config", descriptor(CONFIG_TYPE, 'c', 100).put(field, bad)));
    assertInvalid(image(OCI_MANIFEST).put("layers", new JsonArray().add(descriptor(LAYER_TYPE, '1', 1).put(field, bad))));
    assertInvalid(index(OCI_INDEX).put("manifests", new JsonArray().add(descriptor(OCI_MANIFEST, 'a', 1).put(field, bad))));
    assertInvalid(image(OCI_MANIFEST).put("subject", descriptor(OCI_MANIFEST, 'e', 1).put(field, bad)));
  }

  @Test
  void aDescriptorThatIsNotAnObjectIsRefused() {
    assertInvalid(image(OCI_MANIFEST).put("layers", new JsonArray().add(digest('1'))));
    assertInvalid(image(OCI_MANIFEST).put("subject", digest('e')));
  }

  @Test
  void foreignLayersWithUrlsAreNotRequiredBlobs() {
    JsonObject foreign = descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", '2', 2000)
        .put("urls", new JsonArray().add("https://mcr.microsoft.com/v2/windows/blobs/" + digest('2')));
    JsonObject manifest = image(DOCKER_MANIFEST)
        .put("layers", new JsonArray().add(descriptor(LAYER_TYPE, '1', 1000)).add(foreign));

    assertEquals(digests('c', '1'), parse(DOCKER_MANIFEST, manifest).blobs());
  }

  @Test
  void referencesOfAnImageAreItsConfigAndEveryLayerDescriptorAsWrittenForeignOnesIncluded() {
    JsonObject foreign = descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", '2', 2000)
        .put("urls", new JsonArray().add("https://mcr.microsoft.com/v2/windows/blobs/" + digest('2')));
    JsonObject layer = descriptor(LAYER_TYPE, '1', 1000).put("annotations", new JsonObject().put("k", "v"));
    JsonObject manifest = image(DOCKER_MANIFEST).put("layers", new JsonArray().add(layer).add(foreign));

    assertEquals(new JsonArray().add(descriptor(CONFIG_TYPE, 'c', 100)).add(layer).add(foreign),
        parse(DOCKER_MANIFEST, manifest).references());
  }

  @Test
  void referencesOfAnIndexAreItsManifestDescriptors() {
    assertEquals(new JsonArray().add(descriptor(OCI_MANIFEST, 'a', 500)).add(descriptor(OCI_MANIFEST, 'b', 600)),
        parse(OCI_INDEX, index(OCI_INDEX)).references());
  }

  @Test
  void subjectArtifactTypeAndAnnotationsOfAnImageAreExtracted() {
    JsonObject annotations = new JsonObject().put("org.opencontainers.image.created", "2024-01-01T00:00:00Z");
    JsonObject manifest = image(OCI_MANIFEST)
        .put("artifactType", "application/vnd.example.sbom")
        .put("subject", descriptor(OCI_MANIFEST, 'e', 321))
        .put("annotations", annotations);

    ParsedManifest parsed = parse(OCI_MANIFEST, manifest);

    assertEquals(Digest.parse(digest('e')), parsed.subject());
    assertEquals("application/vnd.example.sbom", parsed.artifactType());
    assertEquals(annotations, parsed.annotations());
    assertEquals(digests('c', '1', '2'), parsed.blobs());
  }

  @Test
  void withoutArtifactTypeAnImageReportsItsConfigMediaType() {
    JsonObject manifest = image(OCI_MANIFEST)
        .put("config", descriptor("application/vnd.example.signature.config+json", 'c', 2));

    ParsedManifest parsed = parse(OCI_MANIFEST, manifest);

    assertEquals("application/vnd.example.signature.config+json", parsed.artifactType());
    assertNull(parsed.subject());
    assertNull(parsed.annotations());
  }

  @Test
  void subjectAndArtifactTypeOfAnIndexAreExtracted() {
    ParsedManifest parsed = parse(OCI_INDEX, index(OCI_INDEX)
        .put("artifactType", "application/vnd.example.bundle")
        .put("subject", descriptor(OCI_MANIFEST, 'e', 5)));

    assertEquals(Digest.parse(digest('e')), parsed.subject());
    assertEquals("application/vnd.example.bundle", parsed.artifactType());
  }

  @Test
  void anIndexWithoutArtifactTypeReportsNone() {
    assertNull(parse(OCI_INDEX, index(OCI_INDEX)).artifactType());
  }

  @Test
  void anArtifactTypeThatIsNotTextIsRefused() {
    assertInvalid(image(OCI_MANIFEST).put("artifactType", 3));
    assertInvalid(image(OCI_MANIFEST).put("mediaType", new JsonObject()));
  }

  @Test
  void storedMediaTypeIsLenientWithManifestsWrittenElsewhere() {
    assertEquals(DOCKER_MANIFEST, ManifestParser.storedMediaType(image(DOCKER_MANIFEST).toBuffer()));
    assertEquals(OCI_INDEX, ManifestParser.storedMediaType(index(null).toBuffer()));
    assertEquals(OCI_MANIFEST, ManifestParser.storedMediaType(image(null).toBuffer()));
    assertEquals(DOCKER_SCHEMA1, ManifestParser.storedMediaType(Buffer.buffer("{\"schemaVersion\":1}")));
    assertEquals(DOCKER_SCHEMA1_SIGNED,
        ManifestParser.storedMediaType(Buffer.buffer("{\"schemaVersion\":1,\"signatures\":[]}")));
    assertEquals(OCI_MANIFEST, ManifestParser.storedMediaType(Buffer.buffer("not json")));
  }
}
