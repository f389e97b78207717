package io.berth.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.Sha256;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.FreePorts;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The meters other services feed: online garbage collection runs and bytes freed, and each notification endpoint's
 * queue depth, read from a parsed scrape of the assembled registry.
 */
class GcAndNotificationMetricsTest {
  private static Path base;
  private static Vertx vertx;
  private static EmbeddedRegistry registry;
  private static WebClient http;

  @BeforeAll
  static void startRegistry() throws Exception {
    base = Files.createTempDirectory("berth-ops-meters");
    int nothingListens = FreePorts.onLoopback();
    MeteredRegistry started = MeteredRegistry.start(base.resolve("data"), Map.of(
        "REGISTRY_STORAGE_GC_ENABLED", "true",
        "REGISTRY_STORAGE_GC_INTERVAL", "200ms",
        "REGISTRY_STORAGE_GC_GRACEPERIOD", "1h",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "down",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "http://127.0.0.1:" + nothingListens + "/events",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_BACKOFF", "10s"));
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
  void onlineCollectionsAreCountedWithTheBytesTheyFreed() {
    Exposition seen = Eventually.await(vertx, GcAndNotificationMetricsTest::scrape,
        metrics -> metrics.sum("berth_gc_runs_total", Map.of("outcome", "completed")) >= 1);

    assertEquals("counter", seen.type("berth_gc_runs_total"));
    assertEquals("counter", seen.type("berth_gc_freed_bytes_total"));
    assertEquals(0, seen.sum("berth_gc_freed_bytes_total", Map.of()), "nothing is older than the grace period");
  }

  @Test
  void anEndpointThatIsDownShowsItsPendingEvents() throws Exception {
    byte[] blob = "meters".getBytes();
    String digest = Sha256.of(blob).toString();
    int status = http.post(registry.port(), "127.0.0.1", "/v2/ops/meters/blobs/uploads/?digest=" + digest)
        .sendBuffer(Buffer.buffer(blob)).await(10, TimeUnit.SECONDS).statusCode();
    assertEquals(201, status);

    Exposition seen = Eventually.await(vertx, GcAndNotificationMetricsTest::scrape,
        metrics -> metrics.sum("berth_notifications_pending", Map.of("endpoint", "down")) >= 1);
    assertEquals("gauge", seen.type("berth_notifications_pending"));
    assertTrue(seen.sum("berth_notifications_pending", Map.of("endpoint", "down")) >= 1);
  }
}
