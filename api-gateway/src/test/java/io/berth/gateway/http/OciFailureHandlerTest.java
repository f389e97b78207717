package io.berth.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request Vert.x Web itself refuses as malformed is the client's fault: a 4xx with the OCI error body, never a 500
 * (which would also log an error with a stack trace for every such request, whoever sends it, before any
 * authentication).
 */
@ExtendWith(VertxExtension.class)
class OciFailureHandlerTest {
  private static RouterServer server;

  @BeforeAll
  static void start(Vertx vertx) {
    server = RouterServer.start(vertx, router -> {
      router.route().handler(new RegistryHeaders(Map.of(), ""));
      router.get("/v2/").handler(ctx -> ctx.response().end("{}"));
      router.get("/status/400").handler(ctx -> ctx.fail(400));
      router.get("/unavailable").handler(ctx -> ctx.fail(new RegistryException(ErrorCode.UNAVAILABLE, "gone")));
    });
  }

  private static void assertBadRequest(RawHttp.Response response) {
    assertEquals(400, response.status(), response::body);
    assertEquals("application/json; charset=utf-8", response.header("Content-Type"));
    assertEquals("UNSUPPORTED",
        new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
  }

  /** HTTP/1.1 requires Host (RFC 9112 §3.2); Vert.x Web fails such a request with 400 before any route. */
  @Test
  void anHttp11RequestWithoutHostIsABadRequest() {
    assertBadRequest(RawHttp.exchange(server.port(), List.of("GET /v2/ HTTP/1.1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a:b:c", "127.0.0.1:99999", "evil\\@x", "[::1"})
  void aHostThatIsNoAuthorityIsABadRequest(String host) {
    assertBadRequest(RawHttp.exchange(server.port(), List.of("GET /v2/ HTTP/1.1", "Host: " + host)));
  }

  /** A bare 400 (no exception) keeps its status; it used to be answered 405 with UNSUPPORTED. */
  @Test
  void aBareBadRequestStaysA400() {
    assertBadRequest(RawHttp.send(server.port(), "GET", "/status/400"));
  }

  /** A 503 is a failure the client should retry: it says when, as distribution's clients read it. */
  @Test
  void anUnavailableServiceIsA503WithRetryAfter() {
    RawHttp.Response response = RawHttp.send(server.port(), "GET", "/unavailable");

    assertEquals(503, response.status(), response::body);
    assertEquals("1", response.header("Retry-After"));
    assertEquals("UNAVAILABLE",
        new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
  }
}
