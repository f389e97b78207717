package io.berth.launcher.ops;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.metrics.DistributionMetrics;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    assertEquals(3, delta(before, after, "berth_storage_action_seconds_count", storageAction("writer", "success")),
        "the session's two files (started at, empty data: written unsynced), then the write continues the data");
    assertEquals(2, delta(before, after, "berth_storage_action_seconds_count", storageAction("read", "success")),
        "the link read of GET and HEAD");
    assertEquals(3, delta(before, after, "berth_storage_action_seconds_count", storageAction("stat", "success")),
        "the committed blob's size, then GET and HEAD");

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
      if (sample.name().startsWith("berth_repository_")) {
        continue; // the one label of repository names, bounded to the largest repositories
      }
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

  @Test
  void aPushAndPullAreCountedInDistributionsSeriesUnderItsRouteNames() throws Exception {
    PushPullClient client = new PushPullClient("http://127.0.0.1:" + registry.port());
    PushPullClient.Image image = PushPullClient.Image.of(PushPullClient.Blob.random(900, 21),
        PushPullClient.Blob.random(70_000, 22));
    long layerBytes = 900 + 70_000;
    Exposition before = scrape();

    client.push("ops/distribution-series", "v1", image);
    client.pull("ops/distribution-series", "v1");
    assertEquals(List.of("v1"), client.tags("ops/distribution-series"));
    assertTrue(client.catalog().contains("ops/distribution-series"));
    assertEquals(200, getNow(registry.port(), "/v2/").statusCode());
    assertEquals(404, getNow(registry.port(), "/v2/ops/distribution-series/no-such-endpoint").statusCode());

    Map<String, String> base = distributionRequest("200", "base", "get");
    Exposition after = Eventually.await(vertx, HealthAndMetricsTest::scrapeLater, scrape ->
        delta(before, scrape, "registry_http_requests_total", base) == 1
            && DistributionMetrics.HANDLERS.stream().allMatch(handler ->
                scrape.sum("registry_http_in_flight_requests", Map.of("handler", handler)) == 0));

    // As docker pushes and pulls: HEAD each blob (not there), POST + PUT it, PUT the manifest; GET it and the blobs.
    Map<Map<String, String>, Double> expected = Map.of(
        distributionRequest("404", "blob", "head"), 2.0,
        distributionRequest("202", "blob_upload", "post"), 2.0,
        distributionRequest("201", "blob_upload_chunk", "put"), 2.0,
        distributionRequest("201", "manifest", "put"), 1.0,
        distributionRequest("200", "manifest", "get"), 1.0,
        distributionRequest("200", "blob", "get"), 2.0,
        distributionRequest("200", "tags", "get"), 1.0,
        distributionRequest("200", "catalog", "get"), 1.0,
        base, 1.0);
    expected.forEach((labels, count) ->
        assertEquals(count, delta(before, after, "registry_http_requests_total", labels), labels::toString));
    assertEquals("counter", after.type("registry_http_requests_total"));
    assertLabels(after, "registry_http_requests_total", Set.of("code", "handler", "method"));
    assertTrue(after.samples().stream().filter(sample -> sample.name().startsWith("registry_http_"))
        .map(sample -> sample.labels().get("handler")).allMatch(Set.of("base", "blob", "blob_upload",
            "blob_upload_chunk", "catalog", "manifest", "tags", "referrers")::contains),
        "distribution's route names; a path that is no endpoint is not counted");

    assertEquals("histogram", after.type("registry_http_request_duration_seconds"));
    assertLabels(after, "registry_http_request_duration_seconds_count", Set.of("handler", "method"));
    assertEquals(2, delta(before, after, "registry_http_request_duration_seconds_count",
        Map.of("handler", "blob", "method", "get")));
    assertEquals(1, delta(before, after, "registry_http_request_duration_seconds_bucket",
        Map.of("handler", "manifest", "method", "put", "le", "60.0")), "distribution's last finite bucket, 60 s");

    for (String size : new String[] {"registry_http_request_size_bytes", "registry_http_response_size_bytes"}) {
      assertEquals("histogram", after.type(size));
      assertLabels(after, size + "_count", Set.of("handler"));
    }
    assertEquals(2, delta(before, after, "registry_http_request_size_bytes_count",
        Map.of("handler", "blob_upload_chunk")));
    assertTrue(delta(before, after, "registry_http_request_size_bytes_sum", Map.of("handler", "blob_upload_chunk"))
        > layerBytes, "the bodies and the request lines and headers");
    assertEquals(layerBytes, delta(before, after, "registry_http_response_size_bytes_sum", Map.of("handler", "blob")));
    assertEquals(1, delta(before, after, "registry_http_request_size_bytes_bucket",
        Map.of("handler", "blob_upload_chunk", "le", "131072.0")) - delta(before, after,
        "registry_http_request_size_bytes_bucket", Map.of("handler", "blob_upload_chunk", "le", "65536.0")),
        "the 70 kB layer's PUT between distribution's 64 KiB and 128 KiB buckets");

    assertEquals("gauge", after.type("registry_http_in_flight_requests"));
    assertEquals(DistributionMetrics.HANDLERS.size(), after.samples().stream()
        .filter(sample -> sample.name().equals("registry_http_in_flight_requests")).count());

    assertEquals("histogram", after.type("registry_storage_action_seconds"));
    assertLabels(after, "registry_storage_action_seconds_count", Set.of("driver", "action"));
    assertTrue(delta(before, after, "registry_storage_action_seconds_count",
        Map.of("driver", "filesystem", "action", "PutContent")) >= 3, "the manifest, its revision link, its tag");
    assertTrue(delta(before, after, "registry_storage_action_seconds_count",
        Map.of("driver", "filesystem", "action", "GetContent")) >= 1);
    assertTrue(after.samples().stream().filter(sample -> sample.name().startsWith("registry_storage_action_seconds"))
        .map(sample -> sample.labels().get("action"))
        .allMatch(Set.of("GetContent", "PutContent", "Stat", "List", "Move", "Delete")::contains));
  }

  private static Map<String, String> distributionRequest(String code, String handler, String method) {
    return Map.of("code", code, "handler", handler, "method", method);
  }

  /** Every sample of {@code name} has exactly these labels (a histogram bucket also {@code le}). */
  private static void assertLabels(Exposition scrape, String name, Set<String> labels) {
    List<Exposition.Sample> samples = scrape.samples().stream().filter(sample -> sample.name().equals(name)).toList();
    assertFalse(samples.isEmpty(), name);
    samples.forEach(sample -> assertEquals(labels, sample.labels().keySet(), sample::toString));
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
