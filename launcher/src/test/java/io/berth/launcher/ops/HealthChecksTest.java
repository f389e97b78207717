package io.berth.launcher.ops;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.FreePorts;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * distribution's health checks gate the registry as in distribution ({@code health.Handler} around the whole app):
 * while one fails, every request answers 503 {@code UNAVAILABLE} "health check failed: please see /debug/health",
 * {@code /debug/health} and {@code /readyz} list the failure, and one passing result lets requests through again.
 */
class HealthChecksTest {
  /** distribution's body: errcode.ErrorCodeUnavailable.WithDetail(...), served by errcode.ServeJSON. */
  private static final JsonObject DISTRIBUTION_BODY = new JsonObject().put("errors", new JsonArray().add(
      new JsonObject().put("code", "UNAVAILABLE").put("message", "service unavailable")
          .put("detail", "health check failed: please see /debug/health")));

  @TempDir
  Path dir;

  private Vertx vertx;
  private WebClient http;
  private EmbeddedRegistry registry;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    if (registry != null) {
      registry.stop(30_000);
    } else {
      result(vertx.close());
    }
  }

  private void start(Map<String, String> settings) throws Exception {
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0");
    RegistryConfig config = RunningRegistry.config(vertx, dir.resolve("storage"), environment);
    registry = EmbeddedRegistry.start(vertx, config).await(30, TimeUnit.SECONDS);
  }

  private Future<HttpResponse<Buffer>> v2() {
    return http.get(registry.port(), "127.0.0.1", "/v2/").send();
  }

  private HttpResponse<Buffer> get(int port, String path) {
    return result(http.get(port, "127.0.0.1", path).send());
  }

  private HttpResponse<Buffer> awaitRefused() {
    return Eventually.await(vertx, this::v2, response -> response.statusCode() == 503);
  }

  private void awaitServing() {
    Eventually.await(vertx, this::v2, response -> response.statusCode() == 200);
  }

  /** Every request, whatever its route and before authentication, and the debug server's view of why. */
  private void assertRefusedAsDistribution(HttpResponse<Buffer> refused, String check, String error) {
    assertEquals(DISTRIBUTION_BODY, refused.bodyAsJsonObject());
    for (String path : List.of("/v2/_catalog", "/v2/team/app/tags/list", "/no-such-endpoint")) {
      HttpResponse<Buffer> response = get(registry.port(), path);
      assertEquals(503, response.statusCode(), path);
      assertEquals(DISTRIBUTION_BODY, response.bodyAsJsonObject(), path);
    }
    HttpResponse<Buffer> head = result(http.request(HttpMethod.HEAD, registry.port(), "127.0.0.1", "/v2/").send());
    assertEquals(503, head.statusCode());
    assertEquals(200, get(registry.port(), "/livez").statusCode(), "the process still serves");
    for (HttpResponse<Buffer> report : List.of(get(registry.debugPort(), "/debug/health"),
        get(registry.port(), "/readyz"))) {
      assertEquals(503, report.statusCode());
      assertEquals(new JsonObject().put(check, error), report.bodyAsJsonObject());
    }
  }

  @Test
  void aFileCheckRefusesEveryRequestWhileItsFileExists() throws Exception {
    Path drain = dir.resolve("out-of-rotation");
    start(Map.of("REGISTRY_HEALTH_FILE_0_FILE", drain.toString(), "REGISTRY_HEALTH_FILE_0_INTERVAL", "50ms"));
    assertEquals(200, result(v2()).statusCode());

    Files.writeString(drain, "");
    HttpResponse<Buffer> refused = awaitRefused();

    assertRefusedAsDistribution(refused, drain.toString(), "file exists");
    Files.delete(drain);
    awaitServing();
    assertEquals(new JsonObject(), get(registry.debugPort(), "/debug/health").bodyAsJsonObject());
  }

  @Test
  void anHttpCheckAnsweredWithTheWrongStatusRefusesRequestsAfterItsThresholdAndSendsItsHeaders() throws Exception {
    AtomicInteger status = new AtomicInteger(500);
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer upstream = result(vertx.createHttpServer().requestHandler(request -> {
      received.add(request.method() + " " + request.getHeader("Authorization"));
      request.response().setStatusCode(status.get()).end();
    }).listen(0, "127.0.0.1"));
    String uri = "http://127.0.0.1:" + upstream.actualPort() + "/ping";
    start(Map.of("REGISTRY_HEALTH_HTTP_0_URI", uri,
        "REGISTRY_HEALTH_HTTP_0_HEADERS_AUTHORIZATION", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        "REGISTRY_HEALTH_HTTP_0_STATUSCODE", "200",
        "REGISTRY_HEALTH_HTTP_0_INTERVAL", "50ms",
        "REGISTRY_HEALTH_HTTP_0_THRESHOLD", "3"));

    HttpResponse<Buffer> refused = awaitRefused();

    assertTrue(received.size() >= 3, "refused after " + received.size() + " checks; the threshold is 3");
    assertEquals("HEAD Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", received.get(0));
    assertRefusedAsDistribution(refused, uri, uri + ": downstream service returned unexpected status: 500");
    status.set(200);
    awaitServing();
  }

  @Test
  void aTcpCheckRefusesRequestsWhileNothingListensOnItsAddress() throws Exception {
    int port = FreePorts.onLoopback();
    String addr = "127.0.0.1:" + port;
    start(Map.of("REGISTRY_HEALTH_TCP_0_ADDR", addr, "REGISTRY_HEALTH_TCP_0_INTERVAL", "50ms",
        "REGISTRY_HEALTH_TCP_0_TIMEOUT", "1s"));

    HttpResponse<Buffer> refused = awaitRefused();
    String error = get(registry.debugPort(), "/debug/health").bodyAsJsonObject().getString(addr);

    assertEquals(DISTRIBUTION_BODY, refused.bodyAsJsonObject());
    assertTrue(error != null && error.startsWith(addr + ": connection failed: "), error);
    NetServer listening = result(vertx.createNetServer().connectHandler(socket -> socket.close())
        .listen(port, "127.0.0.1"));
    awaitServing();
    result(listening.close());
  }

  @Test
  void brokenStorageRefusesEveryRequestAfterTheThresholdAndRecovers() throws Exception {
    Path storage = dir.resolve("storage");
    start(Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms", "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "2"));
    assertEquals(200, result(v2()).statusCode());
    Path aside = dir.resolve("storage.aside");
    Files.move(storage, aside);
    Files.writeString(storage, "a file where the storage root should be");

    HttpResponse<Buffer> refused = awaitRefused();

    assertEquals(DISTRIBUTION_BODY, refused.bodyAsJsonObject());
    JsonObject health = get(registry.debugPort(), "/debug/health").bodyAsJsonObject();
    assertEquals(List.of("storagedriver_filesystem"), List.copyOf(health.fieldNames()), health.encode());
    Files.delete(storage);
    Files.move(aside, storage);
    awaitServing();
    assertEquals(200, get(registry.debugPort(), "/debug/health").statusCode());
  }
}
