package io.berth.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Eventually;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth's storage usage gauges, from the blob service's periodic walk, after two repositories were pushed that share
 * a layer: totals count the shared layer once, each repository counts it, and only the largest repository (the cap
 * here is 1) has series of its own.
 */
class StorageUsageMetricsTest {
  private static Path base;
  private static Vertx vertx;
  private static EmbeddedRegistry registry;
  private static WebClient http;

  @BeforeAll
  static void startRegistry() throws Exception {
    base = Files.createTempDirectory("berth-ops-usage");
    MeteredRegistry started = MeteredRegistry.start(base.resolve("data"), Map.of(
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_INTERVAL", "100ms",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_REPOSITORIES", "1"));
    vertx = started.vertx();
    registry = started.registry();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.stop(30_000);
    RunningRegistry.deleteTree(base);
  }

  private static Future<Exposition> scrape() {
    return http.get(registry.debugPort(), "127.0.0.1", "/metrics").send()
        .map(response -> Exposition.parse(response.bodyAsString()));
  }

  @Test
  void afterTwoRepositoriesArePushedTheGaugesCountTheirBlobsAndTheLargerOnesShare() throws Exception {
    Blob shared = Blob.random(50_000, 31);
    Image alpha = Image.of(Blob.random(1_000, 32), shared);
    Image beta = Image.of(Blob.random(2_000, 33), shared, Blob.random(30_000, 34));
    PushPullClient client = new PushPullClient("http://127.0.0.1:" + registry.port());
    client.push("usage/alpha", "v1", alpha);
    client.push("usage/beta", "v1", beta);
    long alphaBytes = 1_000 + 50_000 + alpha.manifest().bytes().length();
    long betaBytes = 2_000 + 50_000 + 30_000 + beta.manifest().bytes().length();
    long stored = 1_000 + 2_000 + 50_000 + 30_000 + alpha.manifest().bytes().length()
        + beta.manifest().bytes().length();

    Exposition seen = Eventually.await(vertx, StorageUsageMetricsTest::scrape,
        metrics -> metrics.sum("berth_storage_bytes", Map.of()) == stored);

    assertEquals("gauge", seen.type("berth_storage_bytes"));
    assertEquals(6, seen.sum("berth_storage_blobs", Map.of()), "two configs, two layers, two manifests");
    assertEquals(2, seen.sum("berth_storage_repositories", Map.of()));
    assertEquals(betaBytes, seen.sum("berth_repository_bytes", Map.of("repository", "usage/beta")));
    assertEquals(4, seen.sum("berth_repository_blobs", Map.of("repository", "usage/beta")));
    assertTrue(alphaBytes < betaBytes);
    assertEquals(1, seen.samples().stream().filter(sample -> sample.name().equals("berth_repository_bytes")).count(),
        "the cap: only the largest repository has a series");
    double updated = seen.sum("berth_storage_usage_updated_seconds", Map.of());
    assertTrue(Math.abs(updated - System.currentTimeMillis() / 1000.0) < 60, "the last walk ended just now");
    assertTrue(seen.sum("berth_storage_usage_walk_seconds", Map.of()) >= 0);
  }
}
