package io.berth.launcher.ops;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.Eventually;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.gc.PushPullClient;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations features that look at storage, on S3 (S3Proxy) with no storage directory at all: the storage usage
 * gauges count what was pushed into the bucket, and the storage health check probes the bucket, so a bucket that goes
 * away refuses requests (and {@code /readyz}) until it is back; the check is named as distribution names it,
 * {@code storagedriver_s3aws}.
 */
class S3OperationsTest {
  @S3Server
  private static S3TestServer server;

  private String bucket;
  private Vertx vertx;
  private EmbeddedRegistry registry;
  private WebClient http;

  @BeforeEach
  void newBucket() {
    bucket = server.newBucket();
  }

  @AfterEach
  void stop() throws Exception {
    if (registry != null) {
      registry.stop(30_000);
    }
  }

  private void start(Map<String, String> settings) throws Exception {
    Map<String, String> environment = server.registryEnvironment(bucket);
    environment.put("REGISTRY_STORAGE_S3_ROOTDIRECTORY", "/ops");
    environment.putAll(settings);
    MeteredRegistry started = MeteredRegistry.startOnDriver(environment);
    vertx = started.vertx();
    registry = started.registry();
    http = WebClient.create(vertx);
  }

  private Future<Exposition> scrape() {
    return http.get(registry.debugPort(), "127.0.0.1", "/metrics").send()
        .map(response -> Exposition.parse(response.bodyAsString()));
  }

  private Future<HttpResponse<Buffer>> get(int port, String path) {
    return http.get(port, "127.0.0.1", path).send();
  }

  @Test
  void theUsageGaugesCountWhatWasPushedToTheBucket() throws Exception {
    start(Map.of("REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_INTERVAL", "100ms",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_REPOSITORIES", "1"));
    Blob shared = Blob.random(50_000, 41);
    Image alpha = Image.of(Blob.random(1_000, 42), shared);
    Image beta = Image.of(Blob.random(2_000, 43), shared, Blob.random(30_000, 44));
    PushPullClient client = new PushPullClient("http://127.0.0.1:" + registry.port());
    client.push("usage/alpha", "v1", alpha);
    client.push("usage/beta", "v1", beta);
    long betaBytes = 2_000 + 50_000 + 30_000 + beta.manifest().bytes().length();
    long stored = 1_000 + 2_000 + 50_000 + 30_000 + alpha.manifest().bytes().length()
        + beta.manifest().bytes().length();

    Exposition seen = Eventually.await(vertx, this::scrape,
        metrics -> metrics.sum("berth_storage_bytes", Map.of()) == stored);

    assertEquals(6, seen.sum("berth_storage_blobs", Map.of()), "two configs, two layers, two manifests");
    assertEquals(2, seen.sum("berth_storage_repositories", Map.of()));
    assertEquals(betaBytes, seen.sum("berth_repository_bytes", Map.of("repository", "usage/beta")));
    assertEquals(4, seen.sum("berth_repository_blobs", Map.of("repository", "usage/beta")));
  }

  @Test
  void aBucketThatGoesAwayFailsTheStorageCheckUntilItIsBack() throws Exception {
    start(Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms", "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "2"));
    Eventually.await(vertx, () -> get(registry.port(), "/readyz"), response -> response.statusCode() == 200);
    assertEquals(new JsonObject(), result(get(registry.debugPort(), "/debug/health")).bodyAsJsonObject());
    assertEquals(200, result(get(registry.port(), "/v2/")).statusCode());

    server.store().deleteContainer(bucket);
    HttpResponse<Buffer> refused = Eventually.await(vertx, () -> get(registry.port(), "/v2/"),
        response -> response.statusCode() == 503);

    assertEquals("UNAVAILABLE", refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getString("code"));
    HttpResponse<Buffer> ready = result(get(registry.port(), "/readyz"));
    assertEquals(503, ready.statusCode());
    assertEquals(List.of("storagedriver_s3aws"), List.copyOf(ready.bodyAsJsonObject().fieldNames()),
        ready.bodyAsString());
    server.store().createContainerInLocation(null, bucket);
    Eventually.await(vertx, () -> get(registry.port(), "/v2/"), response -> response.statusCode() == 200);
    assertEquals(200, result(get(registry.port(), "/readyz")).statusCode());
  }
}
