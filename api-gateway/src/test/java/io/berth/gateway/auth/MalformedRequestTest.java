package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.common.testing.RawHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.LoggerFactory;

/**
 * What anyone can send before being known: malformed request lines, headers, credentials, parameters and bodies, on
 * every kind of route. Each answers a 4xx, never a 5xx, and leaves no ERROR in the log, with no authentication (where
 * the routes' own handlers read the input), with htpasswd and with token auth. Requests go out over a plain socket,
 * exactly as written.
 */
class MalformedRequestTest {
  private static final String UPLOAD = "/v2/app/one/blobs/uploads/" + StubServices.SESSION;
  private static final String BLOB = "/v2/app/one/blobs/" + StubServices.digest('a');

  @TempDir
  static Path directory;
  private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
  private static final Logger ROOT = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private static RunningGateway open;
  private static RunningGateway htpasswd;
  private static RunningGateway token;

  @BeforeAll
  static void start() throws Exception {
    LOG.start();
    ROOT.addAppender(LOG);
    open = RunningGateway.start(Files.createDirectory(directory.resolve("open")), "");
    Path users = Files.writeString(directory.resolve("htpasswd"),
        "alice:" + BCrypt.hashpw("secret", BCrypt.gensalt(4)) + "\n");
    htpasswd = RunningGateway.start(Files.createDirectory(directory.resolve("basic")),
        "  htpasswd:\n    realm: basic\n    path: " + users + "\n");
    TestPki.Identity issuer = TestPki.selfSignedCa("CN=Malformed Request Test Issuer");
    Path bundle = TestPki.writeBundle(directory.resolve("bundle.pem"), issuer.certificate());
    token = RunningGateway.start(Files.createDirectory(directory.resolve("token")), Jwts.tokenAuth(bundle));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      open.close();
      htpasswd.close();
      token.close();
    } finally {
      ROOT.detachAppender(LOG);
      LOG.stop();
    }
  }

  @BeforeEach
  void forgetEarlierLogEvents() {
    LOG.list.clear();
  }

  /** One request as it goes on the wire: request line, header lines and body. */
  private record Probe(List<String> head, String body) {
    /** With a Host header, as every HTTP/1.1 client sends one. */
    static Probe of(String requestLine, String... headers) {
      List<String> head = new ArrayList<>(List.of(requestLine, "Host: registry.test"));
      head.addAll(List.of(headers));
      return new Probe(head, "");
    }

    static Probe withBody(String requestLine, String contentType, String body) {
      return new Probe(List.of(requestLine, "Host: registry.test", "Content-Type: " + contentType,
          "Content-Length: " + body.length()), body);
    }

    static Probe exactly(String... lines) {
      return new Probe(List.of(lines), "");
    }
  }

  private static Arguments probe(String name, Probe probe) {
    return Arguments.of(name, probe);
  }

  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        probe("HTTP/1.1 without Host", Probe.exactly("GET /v2/ HTTP/1.1")),
        probe("HTTP/1.1 push without Host", Probe.exactly("POST /v2/app/one/blobs/uploads/ HTTP/1.1",
            "Content-Length: 0")),
        probe("Host with a space", Probe.exactly("GET /v2/ HTTP/1.1", "Host: a b")),
        probe("Host with an open IPv6 bracket", Probe.exactly("GET /v2/ HTTP/1.1", "Host: [::1")),
        probe("Host of non-ASCII bytes", Probe.exactly("GET /v2/app/one/tags/list HTTP/1.1", "Host: \u00ff\u00fe")),
        probe("invalid percent-escape in the path", Probe.of("GET /%zz HTTP/1.1")),
        probe("invalid percent-escape in a repository path", Probe.of("GET /v2/app/one/blobs/uploads/%zz HTTP/1.1")),
        probe("unterminated percent-escape in the query", Probe.of("GET /v2/_catalog?n=% HTTP/1.1")),
        probe("invalid percent-escape in n", Probe.of("GET /v2/_catalog?n=%zz HTTP/1.1")),
        probe("invalid percent-escape in last", Probe.of("GET /v2/app/one/tags/list?n=1&last=%zz HTTP/1.1")),
        probe("invalid percent-escape in a parameter name", Probe.of("GET /v2/app/one/tags/list?%zz=1 HTTP/1.1")),
        probe("invalid percent-escape in artifactType", Probe.of("GET /v2/app/one/referrers/"
            + StubServices.digest('a') + "?artifactType=%u1234 HTTP/1.1")),
        probe("invalid percent-escape in digest", Probe.of("PUT " + UPLOAD + "?digest=%zz HTTP/1.1",
            "Content-Length: 0")),
        probe("negative n", Probe.of("GET /v2/_catalog?n=-1 HTTP/1.1")),
        probe("n beyond a long", Probe.of("GET /v2/app/one/tags/list?n=99999999999999999999 HTTP/1.1")),
        probe("n not a number", Probe.of("GET /v2/app/one/tags/list?n=1e3 HTTP/1.1")),
        probe("digest of another algorithm", Probe.of("PUT " + UPLOAD + "?digest=md5:abc HTTP/1.1",
            "Content-Length: 0")),
        probe("digest of upper-case hex", Probe.of("POST /v2/app/one/blobs/uploads/?digest=sha256:" + "A".repeat(64)
            + " HTTP/1.1", "Content-Length: 0")),
        probe("mount of a malformed digest", Probe.of("POST /v2/app/one/blobs/uploads/?mount=sha256:zz&from=app/two"
            + " HTTP/1.1", "Content-Length: 0")),
        probe("mount from a traversing name", Probe.of("POST /v2/app/one/blobs/uploads/?mount="
            + StubServices.digest('a') + "&from=app/../x HTTP/1.1", "Content-Length: 0")),
        probe("Range beyond a long", Probe.of("GET " + BLOB + " HTTP/1.1", "Range: bytes=99999999999999999999-")),
        probe("Range ending beyond a long", Probe.of("GET " + BLOB + " HTTP/1.1",
            "Range: bytes=3-99999999999999999999")),
        probe("Content-Range end beyond a long", Probe.of("PATCH " + UPLOAD + " HTTP/1.1",
            "Content-Range: 0-99999999999999999999", "Content-Length: 0")),
        probe("Content-Range start beyond a long", Probe.of("PATCH " + UPLOAD + " HTTP/1.1",
            "Content-Range: 99999999999999999999-99999999999999999999", "Content-Length: 0")),
        probe("Content-Range backwards", Probe.of("PATCH " + UPLOAD + " HTTP/1.1", "Content-Range: 5-1",
            "Content-Length: 0")),
        probe("Content-Length beyond a long", Probe.of("PATCH " + UPLOAD + " HTTP/1.1",
            "Content-Length: 99999999999999999999")),
        probe("Content-Length not a number", Probe.of("PATCH " + UPLOAD + " HTTP/1.1", "Content-Range: 0-0",
            "Content-Length: abc")),
        probe("Accept of bare semicolons", Probe.of("GET /v2/app/one/manifests/latest HTTP/1.1", "Accept: ;;;")),
        probe("Accept of one semicolon", Probe.of("GET /v2/app/one/manifests/latest HTTP/1.1", "Accept: ;")),
        probe("manifest as a form with an invalid escape", Probe.withBody("PUT /v2/app/one/manifests/latest HTTP/1.1",
            "application/x-www-form-urlencoded", "a=%zz")),
        probe("manifest as a form with a field over 8 KiB", Probe.withBody(
            "PUT /v2/app/one/manifests/latest HTTP/1.1", "application/x-www-form-urlencoded", "a=" + "b".repeat(9000))),
        probe("manifest as a form of 300 fields", Probe.withBody("PUT /v2/app/one/manifests/latest HTTP/1.1",
            "application/x-www-form-urlencoded", String.join("&", Collections.nCopies(300, "a=1")))),
        probe("unknown method", Probe.of("FOO /v2/ HTTP/1.1")));
  }

  /** Refused where credentials are asked for; where none are, they are never read. */
  static Stream<Arguments> malformedCredentials() {
    String unterminated = Jwts.b64("{\"alg\":".getBytes(StandardCharsets.UTF_8));
    String nested = Jwts.b64("[".repeat(3000).getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        probe("Basic with invalid base64", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Basic !!!notbase64")),
        probe("Basic without a colon", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Basic " + base64("nocolon".getBytes(StandardCharsets.US_ASCII)))),
        probe("Basic of non-UTF-8 bytes", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Basic " + base64(new byte[] {(byte) 0xff, (byte) 0xfe, ':', (byte) 0xff}))),
        probe("Basic header of raw non-ASCII bytes", Probe.of("GET /v2/ HTTP/1.1",
            "Authorization: Basic \u00ff\u00fe")),
        probe("Basic with a 5 KiB user name", Probe.of("GET /v2/ HTTP/1.1", "Authorization: Basic "
            + base64(("u".repeat(5000) + ":x").getBytes(StandardCharsets.US_ASCII)))),
        probe("empty Basic", Probe.of("GET /v2/ HTTP/1.1", "Authorization: Basic")),
        probe("empty Bearer", Probe.of("GET /v2/ HTTP/1.1", "Authorization: Bearer ")),
        probe("Bearer of one segment", Probe.of("GET /v2/app/one/tags/list HTTP/1.1", "Authorization: Bearer abc")),
        probe("Bearer of four segments", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer a.b.c.d")),
        probe("Bearer of invalid base64url", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer a*b.c!d.e$f")),
        probe("Bearer whose header is a JSON array", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + Jwts.b64("[]".getBytes(StandardCharsets.UTF_8)) + ".e30.c2ln")),
        probe("Bearer whose header is JSON null", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + Jwts.b64("null".getBytes(StandardCharsets.UTF_8)) + ".e30.c2ln")),
        probe("Bearer whose header is cut short", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + unterminated + ".e30.c2ln")),
        probe("Bearer whose header nests 3000 arrays", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + nested + ".e30.c2ln")),
        probe("Bearer whose x5c holds numbers", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + Jwts.encode(new JsonObject().put("alg", "RS256")
                .put("x5c", new JsonArray().add(1).add(2))) + ".e30.c2ln")),
        probe("Bearer whose x5c is not base64", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + Jwts.encode(new JsonObject().put("alg", "RS256")
                .put("x5c", new JsonArray().add("!!!"))) + ".e30.c2ln")),
        probe("Bearer whose jwk is a string", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + Jwts.encode(new JsonObject().put("alg", "ES256").put("jwk", "x"))
                + ".e30.c2ln")),
        probe("Bearer whose kid is an object", Probe.of("GET /v2/app/one/tags/list HTTP/1.1",
            "Authorization: Bearer " + Jwts.encode(new JsonObject().put("alg", "RS256").put("kid", new JsonObject()))
                + ".e30.c2ln")),
        probe("Authorization over the header size limit", Probe.of("GET /v2/ HTTP/1.1",
            "Authorization: Bearer " + "a".repeat(20_000))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void answersA4xxAndLogsNoError(String name, Probe probe) {
    for (RunningGateway gateway : List.of(open, htpasswd, token)) {
      RawHttp.Response response = RawHttp.exchange(gateway.port(), probe.head(), probe.body());

      assertTrue(response.status() >= 400 && response.status() < 500,
          () -> name + " answered " + response.status() + ": " + response.body());
      assertNoErrorLogged(name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedCredentials")
  void credentialsAnswerA4xxWhereAskedForAndLogNoError(String name, Probe probe) {
    for (RunningGateway gateway : List.of(htpasswd, token)) {
      RawHttp.Response response = RawHttp.exchange(gateway.port(), probe.head(), probe.body());

      assertTrue(response.status() >= 400 && response.status() < 500,
          () -> name + " answered " + response.status() + ": " + response.body());
    }
    assertTrue(RawHttp.exchange(open.port(), probe.head(), probe.body()).status() < 500, name);
    assertNoErrorLogged(name);
  }

  @Test
  void http11WithoutHostAnswers400WithAnOciError() {
    for (RunningGateway gateway : List.of(open, token)) {
      RawHttp.Response response = RawHttp.exchange(gateway.port(), List.of("GET /v2/app/one/tags/list HTTP/1.1"));

      assertEquals(400, response.status(), response.body());
      assertEquals("application/json; charset=utf-8", response.header("Content-Type"));
      assertEquals(new JsonObject().put("code", "UNSUPPORTED").put("message", "missing or invalid Host header"),
          new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0));
      assertNoErrorLogged("HTTP/1.1 without Host");
    }
  }

  @Test
  void http10WithoutHostIsServedWithRelativeUrls() {
    RawHttp.Response base = RawHttp.exchange(open.port(), List.of("GET /v2/ HTTP/1.0"));
    RawHttp.Response upload = RawHttp.exchange(open.port(), List.of("POST /v2/app/one/blobs/uploads/ HTTP/1.0",
        "Content-Length: 0"));

    assertEquals(200, base.status());
    assertEquals(202, upload.status());
    assertEquals("/v2/app/one/blobs/uploads/" + StubServices.SESSION, upload.header("Location"));
    assertNoErrorLogged("HTTP/1.0 without Host");
  }

  @Test
  void aManifestBodyWithBrokenChunkFramingEndsTheConnectionWithoutAnError() throws Exception {
    String request = "PUT /v2/app/one/manifests/latest HTTP/1.1\r\nHost: registry.test\r\n"
        + "Content-Type: application/vnd.oci.image.manifest.v1+json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
    try (Socket socket = new Socket("127.0.0.1", open.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400 "), answer);
    }
    assertNoErrorLogged("broken chunk framing");
  }

  private static void assertNoErrorLogged(String name) {
    List<String> errors = List.copyOf(LOG.list).stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
    assertEquals(List.of(), errors, name + " logged an error");
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
