package io.berth.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.event.RequestInfo;
import io.berth.common.testing.RawHttp;
import io.berth.gateway.auth.AccessControl;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ClientRequests in front of a real router and server: the request id, and what a request reports to services. */
@ExtendWith(VertxExtension.class)
class ClientRequestsTest {
  private static RouterServer server;

  /** {@code /info} answers the request's RequestInfo; a {@code X-Test-User} header plays the authenticated user. */
  @BeforeAll
  static void startServer(Vertx vertx) {
    server = RouterServer.start(vertx, router -> {
      router.route().handler(new ClientRequests());
      router.route("/info").handler(ctx -> {
        String user = ctx.request().getHeader("X-Test-User");
        if (user != null) {
          ctx.put(AccessControl.USER, user);
        }
        RequestInfo info = ClientRequests.info(ctx);
        ctx.response().end(new JsonObject().put("id", info.id()).put("addr", info.addr()).put("host", info.host())
            .put("method", info.method()).put("userAgent", info.userAgent()).put("actor", info.actor()).encode());
      });
    });
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static RawHttp.Response send(String method, String path, String... headers) {
    return RawHttp.send(server.port(), method, path, headers);
  }

  private static JsonObject info(RawHttp.Response response) {
    assertEquals(200, response.status(), response::body);
    return new JsonObject(response.body());
  }

  @Test
  void requestIdTheClientSentIsAnsweredAndReported() {
    RawHttp.Response response = send("GET", "/info", "X-Request-Id: ci-build-42/step-7");

    assertEquals("ci-build-42/step-7", response.header("X-Request-Id"));
    assertEquals("ci-build-42/step-7", info(response).getString("id"));
  }

  @Test
  void withoutRequestIdEachRequestGetsAFreshUuidAnsweredAndReported() {
    RawHttp.Response first = send("GET", "/info");
    RawHttp.Response second = send("GET", "/info");

    UUID.fromString(first.header("X-Request-Id"));
    assertEquals(first.header("X-Request-Id"), info(first).getString("id"));
    assertNotEquals(first.header("X-Request-Id"), second.header("X-Request-Id"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"two words", "tab\there", "é-accented"})
  void requestIdThatIsNotPrintableAsciiIsReplacedByAFreshUuid(String sent) {
    RawHttp.Response response = send("GET", "/info", "X-Request-Id: " + sent);

    UUID.fromString(response.header("X-Request-Id"));
    assertEquals(response.header("X-Request-Id"), info(response).getString("id"));
  }

  @Test
  void requestIdLongerThan128CharactersIsReplacedByAFreshUuid() {
    assertEquals("a".repeat(128), send("GET", "/info", "X-Request-Id: " + "a".repeat(128)).header("X-Request-Id"));

    UUID.fromString(send("GET", "/info", "X-Request-Id: " + "a".repeat(129)).header("X-Request-Id"));
  }

  @Test
  void aRequestTheRouterRefusesStillAnswersItsId() {
    RawHttp.Response response = send("GET", "/nowhere", "X-Request-Id: lost-1");

    assertEquals(404, response.status());
    assertEquals("lost-1", response.header("X-Request-Id"));
  }

  @Test
  void infoReportsClientAddressHostMethodUserAgentAndUser() {
    JsonObject info = info(RawHttp.exchange(server.port(), List.of("PUT /info HTTP/1.1",
        "Host: registry.test:5000", "User-Agent: skopeo/1.16", "X-Test-User: alice", "Content-Length: 0")));

    assertTrue(info.getString("addr").matches("127\\.0\\.0\\.1:\\d+"), info::encode);
    assertEquals("registry.test:5000", info.getString("host"));
    assertEquals("PUT", info.getString("method"));
    assertEquals("skopeo/1.16", info.getString("userAgent"));
    assertEquals("alice", info.getString("actor"));
  }

  @Test
  void anEmptyHostOrOneThatIsNoHostIsReportedAsNone() {
    for (List<String> head : List.of(List.of("GET /info HTTP/1.1", "Host: "),
        List.of("GET /info HTTP/1.0", "Host: user@evil.example"), List.of("GET /info HTTP/1.0"))) {
      assertEquals("", info(RawHttp.exchange(server.port(), head)).getString("host"), head::toString);
    }
  }

  @Test
  void withoutUserOrUserAgentTheyAreEmpty() {
    JsonObject info = info(send("GET", "/info"));

    assertEquals("", info.getString("userAgent"));
    assertEquals("", info.getString("actor"));
  }
}
