package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.Sha256;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.OciLayoutWriter;
import io.berth.common.testing.PulledLayout;
import io.berth.common.testing.TestImage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Berth scaled out as an operator runs it: eight packaged launchers on one Hazelcast cluster (two gateways, two blob
 * services, two manifest services, a notification service and a token issuer) over one storage directory
 * ({@link #storage}: {@link S3ClusterProcessIT} runs the same tests on an S3 bucket). The cluster takes most of a
 * minute to form on two cores, so the tests share it; each leaves at least one member of every kind running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterProcessIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterProcessIT.class);
  private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final int ROUNDS = 6;
  private static final int KILL_ROUND = 2;
  private static final int ATTEMPTS = 3;

  /** Static: JUnit injects an instance field only before each test, after {@link #startCluster} needs it. */
  @TempDir
  static Path temp;
  private Vertx vertx;
  private WebhookReceiver webhook;
  private ClusterStorage storage;
  private BerthCluster cluster;

  /** What the members share to store images: here one directory under {@code work}. */
  protected ClusterStorage storage(Path work) {
    return new ClusterStorage.SharedDirectory(work.resolve("storage"));
  }

  @BeforeAll
  void startCluster() throws Exception {
    vertx = Vertx.vertx();
    webhook = WebhookReceiver.start(vertx);
    storage = storage(temp);
    cluster = BerthCluster.start(temp, storage, Map.of(), List.of(
        new BerthCluster.Spec("gateway-a", "gateway"),
        new BerthCluster.Spec("gateway-b", "gateway"),
        new BerthCluster.Spec("blob-a", "blob"),
        new BerthCluster.Spec("blob-b", "blob"),
        new BerthCluster.Spec("manifest-a", "manifest"),
        new BerthCluster.Spec("manifest-b", "manifest"),
        new BerthCluster.Spec("notification", "notification", Map.of(
            "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "cluster-it",
            "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", webhook.url())),
        // ES256: generating its key takes a fraction of RSA's, which would slow the cluster's start.
        new BerthCluster.Spec("auth", "auth", Map.of(
            "REGISTRY_AUTHSERVER_ADDR", "127.0.0.1:" + FreePorts.onLoopback(),
            "REGISTRY_AUTHSERVER_SIGNING_ALGORITHM", "ES256"))));
  }

  @AfterAll
  void stopCluster() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
      if (webhook != null) {
        webhook.close();
      }
      if (storage != null) {
        storage.close();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  BerthCluster cluster() {
    return cluster;
  }

  private static boolean isManifestPush(JsonObject event) {
    return "push".equals(event.getString("action"))
        && MANIFEST.equals(event.getJsonObject("target").getString("mediaType"));
  }

  @Test
  void anImagePushedThroughOneGatewayIsPulledUnchangedThroughAnotherAndItsPushReachesTheWebhook() throws Exception {
    OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("images"), 41);
    TestImage image = images.image("1.0", 2, 256 * 1024);
    Skopeo skopeo = new Skopeo(temp.resolve("skopeo"));

    try {
      skopeo.push(images.dir(), "1.0", cluster.member("gateway-a").hostPort() + "/cluster/app:1.0");
      PulledLayout pulled = skopeo.pull(cluster.member("gateway-b").hostPort() + "/cluster/app:1.0",
          temp.resolve("pulled"), "1.0");

      ImageAssertions.assertPulledUnchanged(image, pulled);
      JsonObject target = webhook.awaitEvent(ClusterProcessIT::isManifestPush).stream()
          .map(WebhookReceiver.Delivery::event).filter(ClusterProcessIT::isManifestPush).findFirst().orElseThrow()
          .getJsonObject("target");
      assertEquals("cluster/app", target.getString("repository"), target::encode);
      assertEquals("1.0", target.getString("tag"), target::encode);
      assertEquals(image.digest(), target.getString("digest"), target::encode);
      assertNoMemberKeepsRegistryData();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
    }
  }

  @Test
  void aMemberStoppedBySigtermLeavesTheClusterAndExitsZero() throws Exception {
    BerthCluster.Member leaving = cluster.member("manifest-b");

    int exit = leaving.process().terminate(Duration.ofSeconds(30));

    String log = leaving.process().log();
    assertEquals(0, exit, log);
    assertTrue(log.contains("shutting down: finishing in-flight requests"), log);
    assertTrue(log.contains("stopped"), log);
    // No member count: another test may have killed a member before this one ran.
    cluster.member("gateway-a").process().awaitLine(line -> line.contains(
        "cluster member left [member: [127.0.0.1]:" + leaving.clusterPort() + ", members: "), Duration.ofSeconds(30));
  }

  /**
   * A chunked upload whose requests alternate between the two gateways (and so reach either blob service, owner or
   * not): every chunk is accepted, the completion commits the blob, and both gateways serve it.
   */
  @Test
  void aChunkedUploadWhoseRequestsAlternateBetweenGatewaysCompletes() throws Exception {
    // On S3 a blob GET answers 307 to the object's pre-signed URL, which clients follow.
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    String a = "http://" + cluster.member("gateway-a").hostPort();
    String b = "http://" + cluster.member("gateway-b").hostPort();
    byte[] content = new byte[3 * 200_000];
    new Random(7).nextBytes(content);
    String digest = Sha256.of(content).toString();

    HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(a + "/v2/cluster/chunked/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(202, started.statusCode(), started::body);
    String location = URI.create(a).resolve(started.headers().firstValue("Location").orElseThrow()).getRawPath();
    String[] gateways = {b, a, b};
    for (int chunk = 0; chunk < 3; chunk++) {
      int from = chunk * 200_000;
      HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(gateways[chunk] + location))
          .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(content, from, 200_000))
          .header("Content-Type", "application/octet-stream")
          .header("Content-Range", from + "-" + (from + 200_000 - 1)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(202, patched.statusCode(), () -> "chunk " + patched.body());
      location = URI.create(a).resolve(patched.headers().firstValue("Location").orElseThrow()).getRawPath();
    }
    HttpResponse<String> completed = http.send(HttpRequest.newBuilder(URI.create(a + location
        + (location.contains("?") ? "&" : "?") + "digest=" + digest)).PUT(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, completed.statusCode(), completed::body);
    for (String gateway : List.of(a, b)) {
      HttpResponse<byte[]> read = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v2/cluster/chunked/blobs/"
          + digest)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, read.statusCode());
      assertEquals(digest, Sha256.of(read.body()).toString(), "the blob read through " + gateway);
    }
  }

  /**
   * A blob service killed (SIGKILL) while images are pushed and pulled through both gateways. Every operation is
   * retried until it passes (at most {@value #ATTEMPTS} times), as a CI job's client would; afterwards every image
   * reads back unchanged through the other gateway, no blob file on storage differs from its digest, and the webhook
   * has a push event for every push the registry acknowledged.
   */
  @Test
  void killingABlobServiceMidLoopLeavesOnlyRetriableFailuresNoPartialBlobAndNoLostEvent() throws Exception {
    OciLayoutWriter images = OciLayoutWriter.create(temp.resolve("loop-images"), 43);
    Skopeo skopeo = new Skopeo(temp.resolve("loop-skopeo"));
    Map<String, TestImage> pushed = new LinkedHashMap<>();
    List<String> retried = new CopyOnWriteArrayList<>();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        TestImage image = images.image("v" + round, 3, 384 * 1024);
        String via = round % 2 == 0 ? "gateway-a" : "gateway-b";
        String other = round % 2 == 0 ? "gateway-b" : "gateway-a";
        // The kill round pushes to a repository of its own, so that its first upload is told from earlier rounds'.
        String repository = round == KILL_ROUND ? "/cluster/loop-killed" : "/cluster/loop";
        String reference = repository + ":" + image.tag();
        CompletableFuture<Void> push = CompletableFuture.runAsync(() -> unchecked(() -> retrying("push " + image.tag(),
            retried, () -> skopeo.attemptPush(images.dir(), image.tag(), cluster.member(via).hostPort() + reference))));
        if (round == KILL_ROUND) {
          // SIGKILL once the push has opened its first upload session: it has more uploads and PATCHes to make.
          cluster.member(via).process().awaitLine(line -> line.contains("http.request.method=POST ")
              && line.contains("http.request.uri=/v2" + repository + "/blobs/uploads/ "), Duration.ofSeconds(60));
          cluster.member("blob-b").kill();
        }
        push.get(5, TimeUnit.MINUTES);
        pushed.put(reference, image);
        Path layout = temp.resolve("loop-pulled-" + round);
        retrying("pull " + image.tag(), retried, () -> skopeo.attemptPull(cluster.member(other).hostPort() + reference,
            layout, image.tag()));
        ImageAssertions.assertPulledUnchanged(image, PulledLayout.read(layout));
      }
      assertFalse(cluster.member("blob-b").process().isAlive(), "blob-b was killed");

      for (Map.Entry<String, TestImage> image : pushed.entrySet()) {
        Path layout = temp.resolve("loop-final-" + image.getValue().tag());
        skopeo.pull(cluster.member("gateway-a").hostPort() + image.getKey(), layout, image.getValue().tag());
        ImageAssertions.assertPulledUnchanged(image.getValue(), PulledLayout.read(layout));
      }
      assertEveryStoredBlobMatchesItsDigest();
      assertNoMemberKeepsRegistryData();
      Set<String> acknowledged = pushed.values().stream().map(TestImage::digest).collect(Collectors.toSet());
      webhook.await(deliveries -> deliveries.stream().map(WebhookReceiver.Delivery::event)
          .filter(ClusterProcessIT::isManifestPush)
          .map(event -> event.getJsonObject("target").getString("digest"))
          .collect(Collectors.toSet()).containsAll(acknowledged));
      LOG.info("blob service killed mid-loop; operations retried: {}", retried.isEmpty() ? "none" : retried);
    } catch (AssertionError | ExecutionException e) {
      throw new AssertionError(e.getMessage() + "\nretried: " + retried + "\n" + cluster.logs(), e);
    }
  }

  private interface Attempt {
    ChildProcess.Result run() throws Exception;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void unchecked(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      throw new CompletionException(e);
    }
  }

  private static void retrying(String what, List<String> retried, Attempt attempt) throws Exception {
    ChildProcess.Result result = attempt.run();
    for (int tries = 1; result.exitCode() != 0 && tries < ATTEMPTS; tries++) {
      retried.add(what + ": " + result.stderr().strip());
      result = attempt.run();
    }
    result.requireSuccess();
  }

  private void assertEveryStoredBlobMatchesItsDigest() throws Exception {
    Map<String, byte[]> blobs = storage.blobs();
    assertFalse(blobs.isEmpty(), "no blobs in " + storage);
    blobs.forEach((path, data) -> {
      String named = Path.of(path).getParent().getFileName().toString();
      assertEquals("sha256:" + named, Sha256.of(data).toString(), "blob " + path + " differs from its digest");
    });
  }

  /** The registry is in the storage only: no member's working directory holds any of distribution's layout. */
  private void assertNoMemberKeepsRegistryData() throws Exception {
    for (BerthCluster.Member member : cluster.members()) {
      try (Stream<Path> files = Files.walk(member.directory())) {
        List<String> registry = files.map(file -> member.directory().relativize(file).toString())
            .filter(path -> path.contains("docker/registry")).toList();
        assertTrue(registry.isEmpty(), member.name() + " keeps registry data in its own directory: " + registry);
      }
    }
  }
}
