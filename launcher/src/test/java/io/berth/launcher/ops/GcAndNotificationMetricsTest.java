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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The meters other services feed: online garbage collection runs and bytes freed, each notification endpoint's
 * queue depth, and distribution's notification series, read from a parsed scrape of the assembled registry.
 */
class GcAndNotificationMetricsTest {
  private static Path base;
  private static Vertx receiverVertx;
  private static Vertx vertx;
  private static EmbeddedRegistry registry;
  private static WebClient http;

  @BeforeAll
  static void startRegistry() throws Exception {
    base = Files.createTempDirectory("berth-ops-meters");
    int nothingListens = FreePorts.onLoopback();
    receiverVertx = Vertx.vertx();
    int refusing = receiverVertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(503).end())
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    MeteredRegistry started = MeteredRegistry.start(base.resolve("data"), Map.of(
        "REGISTRY_STORAGE_GC_ENABLED", "true",
        "REGISTRY_STORAGE_GC_INTERVAL", "200ms",
        "REGISTRY_STORAGE_GC_GRACEPERIOD", "1h",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "down",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "http://127.0.0.1:" + nothingListens + "/events",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_BACKOFF", "10s",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_1_NAME", "refusing",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_1_URL", "http://127.0.0.1:" + refusing + "/events",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_1_BACKOFF", "10s"));
    vertx = started.vertx();
    registry = started.registry();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.stop(30_000);
    receiverVertx.close().await(10, TimeUnit.SECONDS);
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

  @Test
  void distributionsNotificationSeriesCountQueuedEventsFailuresErrorsAndAnswers() throws Exception {
    byte[] blob = "distribution's notification series".getBytes();
    String digest = Sha256.of(blob).toString();
    int status = http.post(registry.port(), "127.0.0.1", "/v2/ops/notified/blobs/uploads/?digest=" + digest)
        .sendBuffer(Buffer.buffer(blob)).await(10, TimeUnit.SECONDS).statusCode();
    assertEquals(201, status);

    Exposition seen = Eventually.await(vertx, GcAndNotificationMetricsTest::scrape,
        metrics -> metrics.sum("registry_notifications_events_total", Map.of("type", "Errors", "endpoint", "down")) >= 1
            && metrics.sum("registry_notifications_status_total",
                Map.of("code", "503 Service Unavailable", "endpoint", "refusing")) >= 1);

    assertEquals("counter", seen.type("registry_notifications_events_total"));
    assertEquals("counter", seen.type("registry_notifications_status_total"));
    for (String endpoint : new String[] {"down", "refusing"}) {
      assertTrue(seen.sum("registry_notifications_events_total", Map.of("type", "Events", "endpoint", endpoint)) >= 1,
          endpoint);
      assertEquals(0, seen.sum("registry_notifications_events_total", Map.of("type", "Successes",
          "endpoint", endpoint)), endpoint);
    }
    assertTrue(seen.sum("registry_notifications_events_total", Map.of("type", "Failures", "endpoint", "refusing"))
        >= 1, "an answer with an error status is a failure");
    assertEquals(0, seen.sum("registry_notifications_events_total", Map.of("type", "Errors", "endpoint", "refusing")));
    assertEquals(0, seen.sum("registry_notifications_status_total", Map.of("endpoint", "down")), "no answer, no code");
    seen.samples().stream().filter(sample -> sample.name().startsWith("registry_notifications_"))
        .forEach(sample -> assertTrue(sample.labels().keySet().equals(Set.of("type", "endpoint"))
            || sample.labels().keySet().equals(Set.of("code", "endpoint")), sample::toString));
  }
}
