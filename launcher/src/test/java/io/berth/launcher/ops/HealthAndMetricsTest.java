package io.berth.launcher.ops;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Eventually;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assembled registry as an operator runs it, with {@code http.debug} and Prometheus on: the probes on both
 * servers, {@code /debug/health}, and a scrape of {@code /metrics} parsed as Prometheus text after real requests.
 */
class HealthAndMetricsTest {
  private static final String REPOSITORY = "ops/metrics-app";
  private static final String BLOB_ROUTE = "/v2/<name>/blobs/<digest>";
  private static final String UPLOADS_ROUTE = "/v2/<name>/blobs/uploads/";
  private static final String STORAGE_CHECK = "storagedriver_filesystem";
  private static final int THRESHOLD = 2;

  private static Path base;
  private static Path storage;
  private static Vertx vertx;
  private static EmbeddedRegistry registry;
  private static WebClient http;

  @BeforeAll
  static void startRegistry() throws Exception {
    base = Files.createTempDirectory("berth-ops");
    storage = base.resolve("data");
    MeteredRegistry started = MeteredRegistry.start(storage, Map.of(
        "REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "100ms",
        "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", String.valueOf(THRESHOLD)));
    vertx = started.vertx();
    registry = started.registry();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.stop(30_000);
    RunningRegistry.deleteTree(base);
  }

  private static Future<HttpResponse<Buffer>> get(int port, String path) {
    return http.get(port, "127.0.0.1", path).send();
  }

  private static HttpResponse<Buffer> getNow(int port, String path) {
    return result(get(port, path));
  }

  private static Exposition scrape() {
    HttpResponse<Buffer> response = getNow(registry.debugPort(), "/metrics");
    assertEquals(200, response.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeader("Content-Type"));
    return Exposition.parse(response.bodyAsString());
  }

  private static Future<Exposition> scrapeLater() {
    return get(registry.debugPort(), "/metrics").map(response -> Exposition.parse(response.bodyAsString()));
  }

  private static String digest(byte[] bytes) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Map<String, String> request(String route, String method, String status) {
    return Map.of("route", route, "method", method, "status", status);
  }

  private static Map<String, String> storageAction(String action, String outcome) {
    return Map.of("driver", "filesystem", "action", action, "outcome", outcome);
  }

  @Test
  void livezAndReadyzAnswerOnTheRegistryServerAndTheDebugServer() {
    for (int port : new int[] {registry.port(), registry.debugPort()}) {
      HttpResponse<Buffer> live = getNow(port, "/livez");
      assertEquals(200, live.statusCode());
      assertEquals("ok\n", live.bodyAsString());
      HttpResponse<Buffer> ready = getNow(port, "/readyz");
      assertEquals(200, ready.statusCode());
      assertEquals(new JsonObject(), ready.bodyAsJsonObject());
    }
  }

  @Test
  void debugHealthAndMetricsAreServedByTheDebugServerOnly() {
    HttpResponse<Buffer> health = getNow(registry.debugPort(), "/debug/health");
    assertEquals(200, health.statusCode());
    assertEquals("application/json; charset=utf-8", health.getHeader("Content-Type"));
    assertEquals(new JsonObject(), health.bodyAsJsonObject());

    assertEquals(404, getNow(registry.port(), "/debug/health").statusCode());
    assertEquals(404, getNow(registry.port(), "/metrics").statusCode());
  }

  @Test
  void aBlobPushAndPullAreCountedByEndpointTemplateWithBytesStorageActionsAndBusLatency() throws Exception {
    byte[] blob = TestBytes.random(70_000, 6).getBytes();
    String digest = digest(blob);
    Exposition before = scrape();

    HttpResponse<Buffer> pushed = result(http.post(registry.port(), "127.0.0.1",
        "/v2/" + REPOSITORY + "/blobs/uploads/?digest=" + digest).sendBuffer(Buffer.buffer(blob)));
    assertEquals(201, pushed.statusCode(), pushed.bodyAsString());
    HttpResponse<Buffer> pulled = getNow(registry.port(), "/v2/" + REPOSITORY + "/blobs/" + digest);
    assertEquals(200, pulled.statusCode());
    assertArrayEquals(blob, pulled.body().getBytes());
    assertEquals(200, result(http.head(registry.port(), "127.0.0.1", "/v2/" + REPOSITORY + "/blobs/" + digest)
        .send()).statusCode());

    // A request is counted once its response has ended, which may be just after the client has read it.
    double gets = before.sum("berth_http_requests_total", request(BLOB_ROUTE, "GET", "200"));
    double heads = before.sum("berth_http_requests_total", request(BLOB_ROUTE, "HEAD", "200"));
    double posts = before.sum("berth_http_requests_total", request(UPLOADS_ROUTE, "POST", "201"));
    Exposition after = Eventually.await(vertx, HealthAndMetricsTest::scrapeLater, scrape ->
        scrape.sum("berth_http_requests_total", request(BLOB_ROUTE, "HEAD", "200")) == heads + 1
            && scrape.sum("berth_http_requests_total", request(BLOB_ROUTE, "GET", "200")) == gets + 1
            && scrape.sum("berth_http_requests_total", request(UPLOADS_ROUTE, "POST", "201")) == posts + 1);

    assertEquals("counter", after.type("berth_http_requests_total"));
    assertEquals("histogram", after.type("berth_http_request_duration_seconds"));
    for (String bucket : new String[] {"_count", "_bucket"}) {
      Map<String, String> series = bucket.equals("_count") ? request(BLOB_ROUTE, "GET", "200")
          : Map.of("route", BLOB_ROUTE, "method", "GET", "status", "200", "le", "+Inf");
      assertEquals(1, after.sum("berth_http_request_duration_seconds" + bucket, series)
          - before.sum("berth_http_request_duration_seconds" + bucket, series), bucket);
    }
    assertTrue(after.sum("berth_http_request_duration_seconds_sum", request(BLOB_ROUTE, "GET", "200"))
        > before.sum("berth_http_request_duration_seconds_sum", request(BLOB_ROUTE, "GET", "200")));

    assertEquals("counter", after.type("berth_http_request_bytes_total"));
    assertEquals(blob.length, delta(before, after, "berth_http_request_bytes_total",
        Map.of("route", UPLOADS_ROUTE, "method", "POST")));
    assertEquals(blob.length, delta(before, after, "berth_http_response_bytes_total",
        Map.of("route", BLOB_ROUTE, "method", "GET")));
    assertEquals(0, delta(before, after, "berth_http_response_bytes_total",
        Map.of("route", BLOB_ROUTE, "method", "HEAD")));

    assertEquals("histogram", after.type("berth_storage_action_seconds"));
    assertEquals(1, delta(before, after, "berth_storage_action_seconds_count", storageAction("touch", "not_found")),
        "the commit's look for existing bytes (a touch: it also refreshes them for garbage collection)");
    assertEquals(1, delta(before, after, "berth_storage_action_seconds_count", storageAction("touch", "success")),
        "the upload's bytes, refreshed before they move into place");
    assertEquals(1, delta(before, after, "berth_storage_action_seconds_count", storageAction("move", "success")));
    assertEquals(1, delta(before, after, "berth_storage_action_seconds_count", storageAction("writer", "success")));
    assertEquals(2, delta(before, after, "berth_storage_action_seconds_count", storageAction("read", "success")),
        "the link read of GET and HEAD");
    assertEquals(4, delta(before, after, "berth_storage_action_seconds_count", storageAction("stat", "success")),
        "the upload's size on storage as the PUT resumes it, the committed blob's size, then GET and HEAD");

    assertEquals("histogram", after.type("berth_bus_request_seconds"));
    assertEquals(2, delta(before, after, "berth_bus_request_seconds_count",
        Map.of("address", "blob.v1.stat", "outcome", "success")));
    assertEquals(1, delta(before, after, "berth_bus_request_seconds_count",
        Map.of("address", "blob.v1.upload.start", "outcome", "success")));

    assertEquals(1, delta(before, after, "berth_upload_sessions_started_total", Map.of()));
    assertEquals(1, delta(before, after, "berth_upload_sessions_completed_total", Map.of()));
    assertEquals("gauge", after.type("berth_upload_sessions_active"));
    assertEquals(0, delta(before, after, "berth_upload_sessions_active", Map.of()), "the session ended");

    for (Exposition.Sample sample : after.samples()) {
      for (String value : sample.labels().values()) {
        assertFalse(value.contains("metrics-app") || value.contains(digest.substring(7)),
            () -> "unbounded label value in " + sample);
      }
    }
  }

  @Test
  void refusedRequestsAreCountedUnderTheirStatusAndPathsThatAreNoEndpointUnderOther() {
    Exposition before = scrape();
    String unknownBlob = "/v2/" + REPOSITORY + "/blobs/sha256:" + "0".repeat(64);

    assertEquals(404, getNow(registry.port(), unknownBlob).statusCode());
    assertEquals(404, getNow(registry.port(), "/v2/" + REPOSITORY + "/no-such-endpoint").statusCode());

    Map<String, String> refusedBlob = request(BLOB_ROUTE, "GET", "404");
    Map<String, String> noEndpoint = request("other", "GET", "404");
    Exposition after = Eventually.await(vertx, HealthAndMetricsTest::scrapeLater,
        scrape -> delta(before, scrape, "berth_http_requests_total", refusedBlob) == 1
            && delta(before, scrape, "berth_http_requests_total", noEndpoint) == 1);
    assertEquals(1, delta(before, after, "berth_bus_request_seconds_count",
        Map.of("address", "blob.v1.stat", "outcome", "blob_unknown")));
  }

  private static double delta(Exposition before, Exposition after, String name, Map<String, String> labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  @Test
  void vertxAndJvmMetersShareTheOneRegistry() {
    assertEquals(200, getNow(registry.port(), "/v2/").statusCode());

    Exposition scrape = Eventually.await(vertx, HealthAndMetricsTest::scrapeLater,
        later -> later.type("vertx_http_server_requests_total") != null);

    assertTrue(scrape.sum("vertx_http_server_requests_total", Map.of("method", "GET", "code", "200")) >= 1);
    assertNotNull(scrape.type("vertx_eventbus_processed_total"), "Vert.x's own event-bus meters");
    assertNotNull(scrape.type("jvm_memory_used_bytes"), "JVM meters");
  }

  @Test
  void unhealthyStorageFailsReadinessOnBothServersAfterThresholdFailedProbesAndRecovers() throws Exception {
    Path aside = base.resolve("data.aside");
    Map<String, String> failedProbes = Map.of("check", STORAGE_CHECK, "outcome", "fail");
    double failuresBefore = scrape().sum("berth_health_checks_total", failedProbes);
    Files.move(storage, aside);
    Files.writeString(storage, "a file where the storage root should be");
    try {
      HttpResponse<Buffer> notReady = Eventually.await(vertx, () -> get(registry.port(), "/readyz"),
          response -> response.statusCode() != 200);

      assertEquals(503, notReady.statusCode());
      assertTrue(scrape().sum("berth_health_checks_total", failedProbes) - failuresBefore >= THRESHOLD,
          "503 only after " + THRESHOLD + " failed probes in a row");
      String error = notReady.bodyAsJsonObject().getString(STORAGE_CHECK);
      assertTrue(error != null && error.contains(storage.toString()), notReady.bodyAsString());
      for (String path : new String[] {"/readyz", "/debug/health"}) {
        HttpResponse<Buffer> debug = getNow(registry.debugPort(), path);
        assertEquals(503, debug.statusCode(), path);
        assertEquals(notReady.bodyAsJsonObject().fieldNames(), debug.bodyAsJsonObject().fieldNames(), path);
      }
      assertEquals(200, getNow(registry.port(), "/livez").statusCode(), "the process still serves");
    } finally {
      Files.delete(storage);
      Files.move(aside, storage);
    }

    Eventually.await(vertx, () -> get(registry.port(), "/readyz"), response -> response.statusCode() == 200);
    HttpResponse<Buffer> health = getNow(registry.debugPort(), "/debug/health");
    assertEquals(200, health.statusCode());
    assertEquals(new JsonObject(), health.bodyAsJsonObject());
  }
}
