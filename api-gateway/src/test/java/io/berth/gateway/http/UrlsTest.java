package io.berth.gateway.http;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.config.ConnectionLimits;
import io.berth.common.config.HttpConfig;
import io.berth.common.oci.UploadId;
import io.berth.common.testing.RawHttp;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The URLs handed out in Location headers, computed from real requests with the headers each test sends. */
@ExtendWith(VertxExtension.class)
class UrlsTest {
  private static final UploadId SESSION = UploadId.parse("5d0b7c1e-9d3a-4b7e-8f00-0123456789ab");
  private static final String UPLOAD = "/v2/team/app/blobs/uploads/" + SESSION;
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static Vertx vertx;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  private static HttpConfig http(String prefix, String publicUrl, boolean relativeUrls) {
    return new HttpConfig("127.0.0.1", 0, prefix, publicUrl, relativeUrls, Map.of(), Duration.ofSeconds(1),
        ConnectionLimits.defaults());
  }

  /** The upload and blob URLs the server builds for a request made of exactly these lines (Host included). */
  private static String urls(HttpConfig http, List<String> head) {
    Urls urls = new Urls(http);
    try (RouterServer server = RouterServer.start(vertx, router -> router.route().handler(ctx -> ctx.response()
        .end(urls.upload(ctx.request(), "team/app", SESSION) + "\n" + urls.blob(ctx.request(), "team/app", DIGEST))))) {
      return RawHttp.exchange(server.port(), head).body();
    }
  }

  private static String uploadUrl(HttpConfig http, String... headerLines) {
    List<String> head = new ArrayList<>();
    head.add("POST /v2/team/app/blobs/uploads/ HTTP/1.1");
    head.addAll(List.of(headerLines));
    return urls(http, head);
  }

  private static String expected(String base) {
    return base + UPLOAD + "\n" + base + "/v2/team/app/blobs/" + DIGEST;
  }

  @Test
  void httpHostMakesEveryUrlAbsoluteOnItWhateverTheRequestSays() {
    HttpConfig http = http("", "https://registry.example.com", false);

    assertEquals(expected("https://registry.example.com"), uploadUrl(http, "Host: internal:5000",
        "X-Forwarded-Host: proxy.example", "X-Forwarded-Proto: http"));
  }

  @Test
  void httpHostKeepsThePrefix() {
    assertEquals(expected("https://registry.example.com/mirror"),
        uploadUrl(http("/mirror", "https://registry.example.com", false), "Host: internal:5000"));
  }

  @Test
  void relativeUrlsLeaveOutSchemeAndHost() {
    assertEquals(expected(""), uploadUrl(http("", null, true), "Host: registry.local:5000"));
    assertEquals(expected("/mirror"), uploadUrl(http("/mirror", null, true), "Host: registry.local:5000"));
  }

  @Test
  void byDefaultUrlsAreAbsoluteOnTheHostTheClientUsed() {
    assertEquals(expected("http://registry.local:5000"), uploadUrl(http("", null, false), "Host: registry.local:5000"));
  }

  @Test
  void forwardedHostAndProtoFromAProxyWin() {
    assertEquals(expected("https://registry.example.com"), uploadUrl(http("", null, false),
        "Host: 10.0.0.7:5000", "X-Forwarded-Host: registry.example.com", "X-Forwarded-Proto: https"));
  }

  @Test
  void afterAChainOfProxiesTheFirstForwardedEntryIsTheClients() {
    assertEquals(expected("https://registry.example.com"), uploadUrl(http("", null, false), "Host: 10.0.0.7:5000",
        "X-Forwarded-Host: registry.example.com, edge.internal:8080", "X-Forwarded-Proto: https, http"));
  }

  @Test
  void forwardedProtoAloneKeepsTheHost() {
    assertEquals(expected("https://registry.local"), uploadUrl(http("", null, false),
        "Host: registry.local", "X-Forwarded-Proto: https"));
  }

  @Test
  void emptyForwardedEntriesCountAsAbsent() {
    assertEquals(expected("http://registry.local"), uploadUrl(http("", null, false),
        "Host: registry.local", "X-Forwarded-Host: ", "X-Forwarded-Proto: "));
    assertEquals(expected("http://registry.local"), uploadUrl(http("", null, false),
        "Host: registry.local", "X-Forwarded-Host: , edge.internal", "X-Forwarded-Proto: ,https"));
  }

  @Test
  void aRequestWithoutHostGetsRelativeUrls() {
    assertEquals(expected(""), urls(http("", null, false), List.of("POST /v2/team/app/blobs/uploads/ HTTP/1.0")));
  }

  @Test
  void anEmptyHostOrOneThatIsNoHostGetsRelativeUrls() {
    assertEquals(expected(""), urls(http("", null, false), List.of("POST /v2/team/app/blobs/uploads/ HTTP/1.1",
        "Host: ")));
    for (String host : List.of("evil.example/path", "user@evil.example", "a b", "[::1")) {
      assertEquals(expected(""), urls(http("", null, false), List.of("POST /v2/team/app/blobs/uploads/ HTTP/1.0",
          "Host: " + host)), host);
    }
  }

  @Test
  void nextPageLinksAreRelativeWithTheLastEntryEncoded() {
    Urls urls = new Urls(http("/mirror", "https://registry.example.com", false));

    assertEquals("</mirror/v2/_catalog?n=2&last=team%2Fapp>; rel=\"next\"", urls.nextPage("_catalog", 2, "team/app"));
    assertEquals("</mirror/v2/team/app/tags/list?n=50&last=v1.0>; rel=\"next\"",
        urls.nextPage("team/app/tags/list", 50, "v1.0"));
  }
}
