package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.MediaTypes;
import io.berth.common.testing.EventRecorder;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The registry events an all-in-one Berth publishes for what real clients do: skopeo pushes and pulls, deletes and
 * plain HTTP requests, with and without authentication. A consumer on the registry's event bus records them.
 */
class EventsEndToEndTest {
  private static final String REPO = "e2e/events";
  private static final int LAYER_BYTES = 64 * 1024;

  @TempDir
  Path temp;
  private RunningRegistry registry;
  private EventRecorder events;
  private RegistryHttp http;
  private Skopeo skopeo;
  private OciLayoutWriter images;

  private void start(Map<String, String> environment) throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), environment);
    events = EventRecorder.listen(registry.vertx());
    http = new RegistryHttp(registry.hostPort());
    skopeo = new Skopeo(temp.resolve("skopeo"));
    images = OciLayoutWriter.create(temp.resolve("images"), 11);
  }

  @AfterEach
  void stop() throws Exception {
    registry.close();
  }

  /** Pushes a two-layer image as {@code REPO:tag} with skopeo and takes the events that made. */
  private TestImage pushed(String tag) throws Exception {
    TestImage image = images.image(tag, 2, LAYER_BYTES);
    skopeo.push(images.dir(), tag, registry.hostPort() + "/" + REPO + ":" + tag);
    events.until(event -> isManifestPush(event, image));
    return image;
  }

  private static boolean isManifestPush(JsonObject event, TestImage image) {
    return "push".equals(event.getString("action"))
        && image.digest().equals(event.getJsonObject("target").getString("digest"));
  }

  /**
   * The events published since the last ones taken. A GET of a known blob with a fresh request id is a fence: the
   * services publish before they answer, so everything published earlier arrives before the fence's own pull.
   */
  private List<JsonObject> eventsSoFar(TestImage image) throws Exception {
    String fence = "fence-" + UUID.randomUUID();
    HttpResponse<String> response = send(HttpRequest.newBuilder(blobUri(image.image().config()))
        .header("X-Request-Id", fence).GET());
    assertEquals(200, response.statusCode());
    List<JsonObject> seen = events.until(event -> fence.equals(event.getJsonObject("request").getString("id")));
    return seen.subList(0, seen.size() - 1);
  }

  private URI blobUri(String digest) {
    return URI.create(registry.baseUrl() + "/v2/" + REPO + "/blobs/" + digest);
  }

  private URI manifestUri(String reference) {
    return URI.create(registry.baseUrl() + "/v2/" + REPO + "/manifests/" + reference);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(30)).build());
  }

  private String blobUrl(String digest) {
    return registry.baseUrl() + "/v2/" + REPO + "/blobs/" + digest;
  }

  private String manifestUrl(String digest) {
    return registry.baseUrl() + "/v2/" + REPO + "/manifests/" + digest;
  }

  private static List<String> blobsOf(TestImage image) {
    List<String> blobs = new ArrayList<>();
    blobs.add(image.image().config());
    blobs.addAll(image.image().layers());
    return blobs;
  }

  /** The config and layer descriptors of the image's manifest, as written. */
  private static JsonArray references(TestImage image) {
    JsonObject manifest = new JsonObject(new String(image.manifest(), StandardCharsets.UTF_8));
    JsonArray references = new JsonArray().add(manifest.getJsonObject("config"));
    manifest.getJsonArray("layers").forEach(references::add);
    return references;
  }

  /** The blob events among {@code seen} (those typed application/octet-stream), by digest. */
  private static Map<String, JsonObject> blobEvents(List<JsonObject> seen, String action) {
    return seen.stream()
        .filter(event -> action.equals(event.getString("action")))
        .filter(event -> "application/octet-stream".equals(event.getJsonObject("target").getString("mediaType")))
        .collect(Collectors.toMap(event -> event.getJsonObject("target").getString("digest"), event -> event));
  }

  private void assertBlobEvent(TestImage image, String digest, JsonObject event) {
    JsonObject target = event.getJsonObject("target");
    long size = image.blobs().get(digest).length;
    assertEquals(new JsonObject().put("mediaType", "application/octet-stream").put("digest", digest)
        .put("size", size).put("length", size).put("repository", REPO).put("url", blobUrl(digest)), target);
    assertRequestFromThisHost(event);
  }

  private void assertRequestFromThisHost(JsonObject event) {
    JsonObject request = event.getJsonObject("request");
    assertTrue(request.getString("addr").matches("127\\.0\\.0\\.1:\\d+"), request::encode);
    assertEquals(registry.hostPort(), request.getString("host"));
    UUID.fromString(request.getString("id"));
  }

  @Test
  void skopeoPushPublishesABlobPushForTheConfigAndEachLayerThenAManifestPushWithTheTag() throws Exception {
    start(Map.of());
    TestImage image = images.image("1.0", 2, LAYER_BYTES);

    skopeo.push(images.dir(), "1.0", registry.hostPort() + "/" + REPO + ":1.0");

    List<JsonObject> seen = events.until(event -> isManifestPush(event, image));
    Map<String, JsonObject> blobPushes = blobEvents(seen, "push");
    assertEquals(Set.copyOf(blobsOf(image)), blobPushes.keySet());
    assertEquals(blobsOf(image).size() + 1, seen.size(), () -> "events: " + seen);
    blobPushes.forEach((digest, event) -> assertBlobEvent(image, digest, event));
    JsonObject manifestPush = seen.get(seen.size() - 1);
    assertEquals(new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", image.digest())
        .put("size", image.manifest().length).put("length", image.manifest().length).put("repository", REPO)
        .put("url", manifestUrl(image.digest())).put("tag", "1.0").put("references", references(image)),
        manifestPush.getJsonObject("target"));
    assertEquals("PUT", manifestPush.getJsonObject("request").getString("method"));
    assertRequestFromThisHost(manifestPush);
    for (JsonObject event : seen) {
      assertEquals(new JsonObject(), event.getJsonObject("actor"));
    }
    assertEquals(List.of(), eventsSoFar(image));
  }

  @Test
  void skopeoPullPublishesAManifestPullWithTheTagAndABlobPullForTheConfigAndEachLayer() throws Exception {
    start(Map.of());
    TestImage image = pushed("1.0");
    eventsSoFar(image);

    skopeo.pull(registry.hostPort() + "/" + REPO + ":1.0", temp.resolve("pulled"), "1.0");

    List<JsonObject> seen = eventsSoFar(image);
    List<JsonObject> manifestPulls = seen.stream()
        .filter(event -> image.digest().equals(event.getJsonObject("target").getString("digest"))).toList();
    assertEquals(1, manifestPulls.size(), () -> "events: " + seen);
    JsonObject manifestPull = manifestPulls.get(0);
    assertEquals("pull", manifestPull.getString("action"));
    assertEquals("1.0", manifestPull.getJsonObject("target").getString("tag"));
    assertEquals(MediaTypes.OCI_MANIFEST, manifestPull.getJsonObject("target").getString("mediaType"));
    assertEquals("GET", manifestPull.getJsonObject("request").getString("method"));
    Map<String, JsonObject> blobPulls = blobEvents(seen, "pull");
    assertEquals(Set.copyOf(blobsOf(image)), blobPulls.keySet());
    assertEquals(blobsOf(image).size() + 1, seen.size(), () -> "events: " + seen);
    blobPulls.forEach((digest, event) -> {
      assertBlobEvent(image, digest, event);
      assertEquals("GET", event.getJsonObject("request").getString("method"));
    });
  }

  @Test
  void deleteByDigestPublishesAManifestDeleteAndATagDeleteForTheTagThatNamedIt() throws Exception {
    start(Map.of());
    TestImage image = pushed("1.0");

    HttpResponse<String> deleted = send(HttpRequest.newBuilder(manifestUri(image.digest())).DELETE());

    assertEquals(202, deleted.statusCode(), deleted.body());
    List<JsonObject> seen = eventsSoFar(image);
    assertEquals(2, seen.size(), () -> "events: " + seen);
    assertEquals("delete", seen.get(0).getString("action"));
    assertEquals(new JsonObject().put("digest", image.digest()).put("repository", REPO),
        seen.get(0).getJsonObject("target"));
    assertEquals("delete", seen.get(1).getString("action"));
    assertEquals(new JsonObject().put("repository", REPO).put("tag", "1.0"), seen.get(1).getJsonObject("target"));
    assertEquals("DELETE", seen.get(0).getJsonObject("request").getString("method"));
  }

  @Test
  void tagDeletePublishesADeleteNamingTheTag() throws Exception {
    start(Map.of());
    TestImage image = pushed("1.0");
    HttpResponse<String> tagged = send(HttpRequest.newBuilder(manifestUri("stable"))
        .header("Content-Type", MediaTypes.OCI_MANIFEST)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())));
    assertEquals(201, tagged.statusCode(), tagged.body());
    eventsSoFar(image);

    HttpResponse<String> deleted = send(HttpRequest.newBuilder(manifestUri("stable")).DELETE());

    assertEquals(202, deleted.statusCode(), deleted.body());
    List<JsonObject> seen = eventsSoFar(image);
    assertEquals(1, seen.size(), () -> "events: " + seen);
    assertEquals("delete", seen.get(0).getString("action"));
    assertEquals(new JsonObject().put("repository", REPO).put("tag", "stable"), seen.get(0).getJsonObject("target"));
  }

  @Test
  void requestIdInTheEventIsTheXRequestIdTheClientSent() throws Exception {
    start(Map.of());
    TestImage image = pushed("1.0");
    eventsSoFar(image);

    HttpResponse<String> fetched = send(HttpRequest.newBuilder(manifestUri("1.0"))
        .header("Accept", MediaTypes.OCI_MANIFEST).header("X-Request-Id", "ci-run-7/fetch")
        .header("User-Agent", "deploy-bot/2.1").GET());
    HttpResponse<String> headed = send(HttpRequest.newBuilder(manifestUri("1.0"))
        .header("Accept", MediaTypes.OCI_MANIFEST).method("HEAD", HttpRequest.BodyPublishers.noBody()));

    assertEquals(200, fetched.statusCode());
    assertEquals("ci-run-7/fetch", fetched.headers().firstValue("X-Request-Id").orElseThrow());
    assertEquals(200, headed.statusCode());
    List<JsonObject> seen = eventsSoFar(image);
    assertEquals(1, seen.size(), () -> "a HEAD publishes no pull; events: " + seen);
    JsonObject request = seen.get(0).getJsonObject("request");
    assertEquals("ci-run-7/fetch", request.getString("id"));
    assertEquals("GET", request.getString("method"));
    assertEquals("deploy-bot/2.1", request.getString("useragent"));
    assertEquals(registry.hostPort(), request.getString("host"));
    assertEquals("1.0", seen.get(0).getJsonObject("target").getString("tag"));
  }

  @Test
  void withHtpasswdAuthenticationTheActorIsTheUser() throws Exception {
    Path users = temp.resolve("htpasswd");
    Files.writeString(users, "alice:" + BCrypt.hashpw("wonderland", BCrypt.gensalt(4)).replace("$2a$", "$2y$") + "\n");
    start(Map.of("REGISTRY_AUTH_HTPASSWD_PATH", users.toString(), "REGISTRY_AUTH_HTPASSWD_REALM", "berth"));
    TestImage image = images.image("1.0", 1, LAYER_BYTES);

    skopeo.push(images.dir(), "1.0", registry.hostPort() + "/" + REPO + ":1.0", "--dest-creds", "alice:wonderland");

    List<JsonObject> seen = events.until(event -> isManifestPush(event, image));
    assertEquals(blobsOf(image).size() + 1, seen.size(), () -> "events: " + seen);
    for (JsonObject event : seen) {
      assertEquals(new JsonObject().put("name", "alice"), event.getJsonObject("actor"), event::encode);
    }
  }
}
