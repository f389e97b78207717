package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.MediaTypes;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.TestImage;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks from an all-in-one Berth to real HTTP receivers, for what real clients do: skopeo pushes and pulls, HTTP
 * deletes. The registry reads its {@code notifications} section from a YAML file, as an operator writes it.
 */
class NotificationsEndToEndTest {
  private static final String REPO = "e2e/notify";
  private static final int LAYER_BYTES = 32 * 1024;
  private static final String V1 = "application/vnd.docker.distribution.events.v1+json";
  private static final String BLOB = "application/octet-stream";
  /** Retries close together, so an endpoint that comes back is served within a second. */
  private static final String FAST_RETRIES = "      timeout: 2s\n      threshold: 1\n      backoff: 100ms\n"
      + "      maxbackoff: 400ms\n";

  @TempDir
  Path temp;
  private Vertx receivers;
  private final List<AutoCloseable> running = new ArrayList<>();
  private RunningRegistry registry;
  private Skopeo skopeo;
  private OciLayoutWriter images;

  @BeforeEach
  void setUp() throws Exception {
    receivers = Vertx.vertx();
    skopeo = new Skopeo(temp.resolve("skopeo"));
    images = OciLayoutWriter.create(temp.resolve("images"), 23);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
    for (AutoCloseable closeable : running) {
      closeable.close();
    }
    receivers.close().await(10, TimeUnit.SECONDS);
  }

  private WebhookReceiver receiver() throws Exception {
    return receiving(WebhookReceiver.start(receivers));
  }

  private WebhookReceiver receiving(WebhookReceiver receiver) {
    running.add(receiver);
    return receiver;
  }

  /** One endpoint of the {@code notifications.endpoints} list, with fast retries and {@code extra} YAML lines. */
  private static String endpoint(String name, String url, String... extra) {
    StringBuilder yaml = new StringBuilder("    - name: ").append(name).append("\n      url: ").append(url)
        .append('\n').append(FAST_RETRIES);
    for (String line : extra) {
      yaml.append("      ").append(line).append('\n');
    }
    return yaml.toString();
  }

  /** The registry's configuration file with these endpoints, in the environment a registry is started with. */
  private Map<String, String> configuredWith(String... endpoints) throws Exception {
    Path file = temp.resolve("config.yml");
    Files.writeString(file, "version: 0.1\nnotifications:\n  endpoints:\n" + String.join("", endpoints));
    return Map.of("REGISTRY_CONFIGURATION_PATH", file.toString());
  }

  private void start(Map<String, String> environment) throws Exception {
    registry = RunningRegistry.start(temp.resolve("storage"), environment);
  }

  private TestImage push(String tag) throws Exception {
    TestImage image = images.image(tag, 2, LAYER_BYTES);
    skopeo.push(images.dir(), tag, registry.hostPort() + "/" + REPO + ":" + tag);
    return image;
  }

  /** Tags the image's manifest as {@code tag} with a plain PUT: one manifest push event, a fence in every queue. */
  private void tag(TestImage image, String tag) throws Exception {
    HttpResponse<String> tagged = send(HttpRequest.newBuilder(manifestUri(tag))
        .header("Content-Type", MediaTypes.OCI_MANIFEST)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(image.manifest())));
    assertEquals(201, tagged.statusCode(), tagged.body());
  }

  private URI manifestUri(String reference) {
    return URI.create(registry.baseUrl() + "/v2/" + REPO + "/manifests/" + reference);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return new RegistryHttp(registry.hostPort()).send(request.timeout(Duration.ofSeconds(30)).build());
  }

  private static boolean isManifestPush(JsonObject event, String tag) {
    return "push".equals(event.getString("action")) && tag.equals(event.getJsonObject("target").getString("tag"));
  }

  private static List<String> blobsOf(TestImage image) {
    List<String> blobs = new ArrayList<>();
    blobs.add(image.image().config());
    blobs.addAll(image.image().layers());
    return blobs;
  }

  private static List<String> ids(List<WebhookReceiver.Delivery> deliveries) {
    return deliveries.stream().map(delivery -> delivery.event().getString("id")).toList();
  }

  private static String hmacSha256(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  @Test
  void skopeoPushSendsABlobPushForTheConfigAndEachLayerThenAManifestPushWithTheTagInDistributionsEnvelope()
      throws Exception {
    WebhookReceiver receiver = receiver();
    start(configuredWith(endpoint("ci", receiver.url())));

    TestImage image = push("1.0");

    List<WebhookReceiver.Delivery> deliveries = receiver.awaitEvent(event -> isManifestPush(event, "1.0"));
    assertEquals(blobsOf(image).size() + 1, deliveries.size(), () -> "deliveries: " + deliveries);
    for (WebhookReceiver.Delivery delivery : deliveries) {
      assertEquals("POST", delivery.method());
      assertEquals("/hook", delivery.path());
      assertEquals(V1, delivery.headers().get("Content-Type"));
      JsonObject body = delivery.json();
      assertEquals(Set.of("events"), body.fieldNames(), body::encode);
      assertEquals(1, body.getJsonArray("events").size(), body::encode);
      JsonObject event = delivery.event();
      assertFalse(event.getString("id").isBlank(), event::encode);
      OffsetDateTime.parse(event.getString("timestamp"));
      assertEquals(REPO, event.getJsonObject("target").getString("repository"));
      assertTrue(event.getJsonObject("request").getString("addr").startsWith("127.0.0.1:"), event::encode);
      assertInstanceOf(JsonObject.class, event.getValue("source"), event::encode);
    }
    assertEquals(deliveries.size(), Set.copyOf(ids(deliveries)).size(), "event ids are unique");
    List<JsonObject> blobPushes = deliveries.subList(0, deliveries.size() - 1).stream()
        .map(WebhookReceiver.Delivery::event).toList();
    for (JsonObject event : blobPushes) {
      assertEquals("push", event.getString("action"), event::encode);
      assertEquals(BLOB, event.getJsonObject("target").getString("mediaType"), event::encode);
      String digest = event.getJsonObject("target").getString("digest");
      assertEquals(image.blobs().get(digest).length, event.getJsonObject("target").getLong("size"), event::encode);
    }
    assertEquals(Set.copyOf(blobsOf(image)), blobPushes.stream()
        .map(event -> event.getJsonObject("target").getString("digest")).collect(Collectors.toSet()));
    JsonObject manifestPush = deliveries.get(deliveries.size() - 1).event().getJsonObject("target");
    assertEquals(MediaTypes.OCI_MANIFEST, manifestPush.getString("mediaType"));
    assertEquals(image.digest(), manifestPush.getString("digest"));
    assertEquals(image.manifest().length, manifestPush.getLong("size"));
    assertEquals("1.0", manifestPush.getString("tag"));
  }

  @Test
  void deleteOfTheManifestByDigestSendsAManifestDeleteAndATagDelete() throws Exception {
    WebhookReceiver receiver = receiver();
    start(configuredWith(endpoint("ci", receiver.url())));
    TestImage image = push("1.0");
    int pushes = receiver.awaitEvent(event -> isManifestPush(event, "1.0")).size();

    HttpResponse<String> deleted = send(HttpRequest.newBuilder(manifestUri(image.digest())).DELETE());

    assertEquals(202, deleted.statusCode(), deleted.body());
    List<WebhookReceiver.Delivery> deliveries = receiver.awaitEvent(event -> "delete".equals(event.getString("action"))
        && "1.0".equals(event.getJsonObject("target").getString("tag")));
    List<WebhookReceiver.Delivery> deletes = deliveries.subList(pushes, deliveries.size());
    assertEquals(2, deletes.size(), () -> "deliveries: " + deletes);
    assertEquals("delete", deletes.get(0).event().getString("action"));
    assertEquals(new JsonObject().put("digest", image.digest()).put("repository", REPO),
        deletes.get(0).event().getJsonObject("target"));
    assertEquals(new JsonObject().put("repository", REPO).put("tag", "1.0"),
        deletes.get(1).event().getJsonObject("target"));
    for (WebhookReceiver.Delivery delivery : deletes) {
      assertEquals(V1, delivery.headers().get("Content-Type"));
      assertEquals("DELETE", delivery.event().getJsonObject("request").getString("method"));
    }
  }

  @Test
  void anEndpointIgnoringPullsGetsNoPullEventsFromASkopeoPullWhileAnUnfilteredOneGetsThem() throws Exception {
    WebhookReceiver filtered = receiver();
    WebhookReceiver unfiltered = receiver();
    start(configuredWith(endpoint("no-pulls", filtered.url(), "ignore:", "  actions: [pull]"),
        endpoint("everything", unfiltered.url())));
    TestImage image = push("1.0");

    skopeo.pull(registry.hostPort() + "/" + REPO + ":1.0", temp.resolve("pulled"), "1.0");
    tag(image, "fence");

    List<WebhookReceiver.Delivery> everything = unfiltered.awaitEvent(event -> isManifestPush(event, "fence"));
    List<WebhookReceiver.Delivery> noPulls = filtered.awaitEvent(event -> isManifestPush(event, "fence"));
    Set<String> pulled = everything.stream().map(WebhookReceiver.Delivery::event)
        .filter(event -> "pull".equals(event.getString("action")))
        .map(event -> event.getJsonObject("target").getString("digest")).collect(Collectors.toSet());
    Set<String> expected = new HashSet<>(blobsOf(image));
    expected.add(image.digest());
    assertEquals(expected, pulled);
    assertEquals(List.of(), noPulls.stream().map(WebhookReceiver.Delivery::event)
        .filter(event -> "pull".equals(event.getString("action"))).toList());
    assertEquals(everything.stream().map(WebhookReceiver.Delivery::event)
        .filter(event -> !"pull".equals(event.getString("action"))).map(event -> event.getString("id")).toList(),
        ids(noPulls));
  }

  @Test
  void eventsForAnEndpointThatWasDownArriveOnceEachAndInOrderAfterARegistryRestart() throws Exception {
    WebhookReceiver healthy = receiver();
    int downPort = FreePorts.onLoopback();
    Map<String, String> config = configuredWith(endpoint("healthy", healthy.url()),
        endpoint("down", "http://127.0.0.1:" + downPort + "/hook"));
    start(config);
    TestImage first = push("1.0");
    push("2.0");
    int firstRun = healthy.awaitEvent(event -> isManifestPush(event, "2.0")).size();
    registry.close();
    registry = null;

    registry = RunningRegistry.start(temp.resolve("storage"), config);
    WebhookReceiver cameBack = receiving(WebhookReceiver.start(receivers, downPort));
    cameBack.await(deliveries -> deliveries.size() >= firstRun);
    tag(first, "fence");

    List<WebhookReceiver.Delivery> expected = healthy.awaitEvent(event -> isManifestPush(event, "fence"));
    List<WebhookReceiver.Delivery> delivered = cameBack.awaitEvent(event -> isManifestPush(event, "fence"));
    assertEquals(firstRun + 1, expected.size(), () -> "healthy: " + ids(expected));
    assertEquals(ids(expected), ids(delivered));
    assertEquals(expected.stream().map(WebhookReceiver.Delivery::body).toList(),
        delivered.stream().map(WebhookReceiver.Delivery::body).toList());
  }

  @Test
  void withASecretEachRequestCarriesAnHmacSha256SignatureOfItsExactBody() throws Exception {
    String secret = "4f9c2b7e1d0a";
    WebhookReceiver signed = receiver();
    WebhookReceiver unsigned = receiver();
    start(configuredWith(endpoint("signed", signed.url(), "secret: \"" + secret + "\""),
        endpoint("unsigned", unsigned.url())));

    push("1.0");

    List<WebhookReceiver.Delivery> deliveries = signed.awaitEvent(event -> isManifestPush(event, "1.0"));
    for (WebhookReceiver.Delivery delivery : deliveries) {
      assertEquals("sha256=" + hmacSha256(secret, delivery.body().getBytes()),
          delivery.headers().get("X-Berth-Signature"));
      assertFalse(("sha256=" + hmacSha256("another secret", delivery.body().getBytes()))
          .equals(delivery.headers().get("X-Berth-Signature")));
    }
    for (WebhookReceiver.Delivery delivery : unsigned.awaitEvent(event -> isManifestPush(event, "1.0"))) {
      assertNull(delivery.headers().get("X-Berth-Signature"));
    }
  }

  @Test
  void withFormatCloudEventsEachBodyIsACloudEventWithTheSpecsRequiredAttributesAndTheEventAsData()
      throws Exception {
    WebhookReceiver receiver = receiver();
    start(configuredWith(endpoint("ce", receiver.url(), "format: cloudevents")));

    TestImage image = push("1.0");

    List<WebhookReceiver.Delivery> deliveries = receiver.await(list -> list.stream()
        .anyMatch(delivery -> isManifestPush(delivery.json().getJsonObject("data"), "1.0")));
    assertEquals(blobsOf(image).size() + 1, deliveries.size());
    for (WebhookReceiver.Delivery delivery : deliveries) {
      assertEquals("application/cloudevents+json", delivery.headers().get("Content-Type"));
      JsonObject cloudEvent = delivery.json();
      assertEquals("1.0", cloudEvent.getString("specversion"), cloudEvent::encode);
      assertFalse(cloudEvent.getString("id").isEmpty(), cloudEvent::encode);
      URI.create(cloudEvent.getString("source"));
      assertFalse(cloudEvent.getString("source").isEmpty(), cloudEvent::encode);
      assertEquals("io.berth.registry.push", cloudEvent.getString("type"), cloudEvent::encode);
      assertEquals("application/json", cloudEvent.getString("datacontenttype"));
      for (String attribute : cloudEvent.fieldNames()) {
        assertTrue(attribute.matches("[a-z0-9]{1,20}"), () -> "CloudEvents attribute name " + attribute);
      }
      if (cloudEvent.getValue("time") != null) {
        OffsetDateTime.parse(cloudEvent.getString("time"));
      }
      JsonObject data = cloudEvent.getJsonObject("data");
      assertEquals(cloudEvent.getString("id"), data.getString("id"));
      assertEquals(REPO, data.getJsonObject("target").getString("repository"));
    }
    JsonObject last = deliveries.get(deliveries.size() - 1).json();
    assertEquals(REPO + ":1.0", last.getString("subject"));
    assertEquals(image.digest(), last.getJsonObject("data").getJsonObject("target").getString("digest"));
  }
}
