package io.berth.gateway.http;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RegistryHeaders in front of a real router and server, as the gateway mounts it. */
@ExtendWith(VertxExtension.class)
class RegistryHeadersTest {
  private static final Map<String, List<String>> CONFIGURED = Map.of(
      "X-Content-Type-Options", List.of("nosniff"),
      "X-Served-By", List.of("berth-a", "berth-b"));

  private static Vertx vertx;
  private static WebClient client;
  private static RouterServer plain;
  private static RouterServer prefixed;

  @BeforeAll
  static void startServers(Vertx shared) {
    vertx = shared;
    client = WebClient.create(vertx);
    plain = echoServer("");
    prefixed = echoServer("/mirror");
  }

  /** Answers every request that gets through with the path the router matched on. */
  private static RouterServer echoServer(String prefix) {
    return RouterServer.start(vertx, router -> {
      router.route().handler(new RegistryHeaders(CONFIGURED, prefix));
      router.route(prefix + "/v2/*").handler(ctx -> ctx.response().end(ctx.normalizedPath()));
      router.route("/elsewhere").handler(ctx -> ctx.response().end(ctx.normalizedPath()));
    });
  }

  private static void assertRegistryHeaders(RawHttp.Response response) {
    assertEquals(List.of("registry/2.0"), response.headers("Docker-Distribution-API-Version"));
    assertEquals(List.of("nosniff"), response.headers("X-Content-Type-Options"));
    assertEquals(List.of("berth-a", "berth-b"), response.headers("X-Served-By"));
  }

  private static void assertNameInvalid(RawHttp.Response response) {
    assertEquals(400, response.status(), response::body);
    assertEquals("application/json; charset=utf-8", response.header("Content-Type"));
    assertEquals("NAME_INVALID", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
    assertRegistryHeaders(response);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/v2/a/../b/blobs/x", "/v2/a//b/tags/list", "/v2/%2e%2e/x", "/v2/./a/tags/list", "/v2/a/./b/manifests/latest",
      "/v2/a/b/..", "/v2//a/tags/list", "/v2/a/b%2Fc/tags/list", "/v2/../v2/a/tags/list"})
  void aPathNotInNormalFormIsNameInvalid(String path) {
    assertNameInvalid(RawHttp.send(plain.port(), "GET", path));
  }

  @Test
  void aPathNotInNormalFormIsNameInvalidUnderThePrefix() {
    assertNameInvalid(RawHttp.send(prefixed.port(), "GET", "/mirror/v2/a/../b/blobs/x"));
    assertNameInvalid(RawHttp.send(prefixed.port(), "PUT", "/mirror/v2/a//b/manifests/latest",
        "Content-Length: 0"));
  }

  @Test
  void aHeadRequestWithAPathNotInNormalFormIsRefusedWithoutBody() {
    RawHttp.Response response = RawHttp.send(plain.port(), "HEAD", "/v2/a/../b/manifests/latest");

    assertEquals(400, response.status());
    assertEquals("", response.body());
    assertRegistryHeaders(response);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v2/library/ubuntu/tags/list", "/v2/a.b/c-d/manifests/v1.0", "/v2/a__b/blobs/uploads/",
      "/v2/"})
  void aNormalPathPassesWithTheRegistryHeaders(String path) {
    HttpResponse<Buffer> response = result(client.get(plain.port(), "127.0.0.1", path).send());

    assertEquals(200, response.statusCode());
    assertEquals(path, response.bodyAsString());
    assertEquals("registry/2.0", response.getHeader("Docker-Distribution-API-Version"));
    assertEquals("nosniff", response.getHeader("X-Content-Type-Options"));
    assertEquals(List.of("berth-a", "berth-b"), response.headers().getAll("X-Served-By"));
  }

  @Test
  void escapesInTheQueryStringAreNotPartOfThePath() {
    RawHttp.Response response = RawHttp.send(plain.port(), "GET", "/v2/team/app/tags/list?n=2&last=v1%2E0");

    assertEquals(200, response.status());
    assertEquals("/v2/team/app/tags/list", response.body());
  }

  @Test
  void aNormalPathUnderThePrefixPasses() {
    HttpResponse<Buffer> response = result(client.get(prefixed.port(), "127.0.0.1", "/mirror/v2/team/app/tags/list")
        .send());

    assertEquals(200, response.statusCode());
    assertEquals("/mirror/v2/team/app/tags/list", response.bodyAsString());
  }

  /**
   * The router matches the normalised path, so these would reach the /v2/ routes; the check must not miss them. A
   * path that starts with /v2/ is the API's whatever it normalises to.
   */
  @ParameterizedTest
  @ValueSource(strings = {"//v2/a/tags/list", "/./v2/a/tags/list", "/x/../v2/a/tags/list", "/%762/a/tags/list",
      "/%2e/v2/a/tags/list", "/x/%2E%2E/v2/", "//v2", "/v2/a%5cb/tags/list", "/v2/a\\b/tags/list",
      "/v2/a/b%00/tags/list", "/v2/a/b%c0%ae/tags/list", "/v2/a/b%252f/tags/list", "/v2/../elsewhere"})
  void aPathNotInNormalFormThatNormalisesIntoV2IsNameInvalid(String path) {
    assertNameInvalid(RawHttp.send(plain.port(), "GET", path));
  }

  @Test
  void aPathNotInNormalFormThatNormalisesIntoV2UnderThePrefixIsNameInvalid() {
    assertNameInvalid(RawHttp.send(prefixed.port(), "GET", "//mirror/v2/a/tags/list"));
    assertNameInvalid(RawHttp.send(prefixed.port(), "GET", "/mirror/x/../v2/a/tags/list"));
    assertNameInvalid(RawHttp.send(prefixed.port(), "GET", "/%6dirror/v2/a/tags/list"));
  }

  /**
   * Vert.x takes the path of a target from its first "://" on, also where HTTP defines no path (a target that is
   * neither origin-form nor http(s) absolute-form, or an absolute-form whose authority runs into its query), and the
   * router would serve that path as if it had been sent: a client would reach a route past any proxy that judged
   * the target as written.
   */
  @ParameterizedTest
  @ValueSource(strings = {"x?a=http://h/v2/a/tags/list", "foo://h/v2/a/tags/list", "http://h?/v2/a/tags/list",
      "https://h?q=1/v2/a/tags/list", "a/b://h/v2/"})
  void aTargetWithoutAPathOfItsOwnIsNameInvalidWhenThePathVertxTakesIsUnderV2(String target) {
    assertNameInvalid(RawHttp.send(plain.port(), "GET", target));
  }

  @Test
  void aTargetWithoutAPathOfItsOwnIsNotFoundOutsideTheV2Tree() {
    RawHttp.Response response = RawHttp.send(plain.port(), "GET", "x?y=http://h/elsewhere");

    assertEquals(404, response.status(), response::body);
    assertEquals("NOT_FOUND", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
  }

  /** RFC 9112 §3.2.2: a server accepts absolute-form; its path is the one the router serves. */
  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/v2/a/tags/list", "HTTPS://h:5000/v2/a/tags/list?n=1"})
  void anAbsoluteFormTargetPassesWithItsPath(String target) {
    RawHttp.Response response = RawHttp.send(plain.port(), "GET", target);

    assertEquals(200, response.status(), response::body);
    assertEquals("/v2/a/tags/list", response.body());
  }

  @Test
  void aNormalPathOutsideTheV2TreePassesWithTheRegistryHeaders() {
    RawHttp.Response response = RawHttp.send(plain.port(), "GET", "/elsewhere");

    assertEquals(200, response.status());
    assertEquals("/elsewhere", response.body());
    assertRegistryHeaders(response);
  }

  /** Outside /v2/ the route it would reach is not served either: no endpoint, as for any unknown path. */
  @ParameterizedTest
  @ValueSource(strings = {"//elsewhere", "/./elsewhere", "/x/../elsewhere", "/%65lsewhere", "/elsewhere%00",
      "/metrics//x", "/elsewhere/%2e%2e/x"})
  void aPathNotInNormalFormOutsideTheV2TreeIsNotFound(String path) {
    RawHttp.Response response = RawHttp.send(plain.port(), "GET", path);

    assertEquals(404, response.status(), response::body);
    assertEquals("NOT_FOUND", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code"));
    assertRegistryHeaders(response);
  }
}
