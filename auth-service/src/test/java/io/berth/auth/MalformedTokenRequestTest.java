package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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

/**
 * What anyone can send to the token issuer before logging in: malformed request lines, headers, credentials, query
 * strings and form bodies. Each answers a 4xx in the issuer's OAuth2 error format (where the issuer itself answers),
 * never a 5xx, and leaves no ERROR in the log. Requests go out over a plain socket, exactly as written.
 */
class MalformedTokenRequestTest {
  private static final String FORM = "application/x-www-form-urlencoded";

  @TempDir
  static Path directory;
  private static LogCapture log;
  private static RunningIssuer issuer;

  @BeforeAll
  static void start() throws Exception {
    log = new LogCapture();
    issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(
        RunningIssuer.writeUsers(directory)).put("signing", new JsonObject().put("algorithm", "ES256")));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      issuer.close();
    } finally {
      log.close();
    }
  }

  @BeforeEach
  void forgetEarlierLogEvents() {
    log.clear();
  }

  /** One request as it goes on the wire: request line, header lines and body. */
  private record Probe(List<String> head, String body) {
    static Probe of(String requestLine, String... headers) {
      List<String> head = new ArrayList<>(List.of(requestLine, "Host: auth.test"));
      head.addAll(List.of(headers));
      return new Probe(head, "");
    }

    static Probe form(String path, String contentType, String body) {
      return new Probe(List.of("POST " + path + " HTTP/1.1", "Host: auth.test", "Content-Type: " + contentType,
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
    String bigField = "a".repeat(9 * 1024);
    String manyFields = String.join("&", Collections.nCopies(300, "scope=repository:alice/a:pull"));
    return Stream.of(
        probe("GET /token without Host", Probe.exactly("GET /token HTTP/1.1")),
        probe("GET /keys without Host", Probe.exactly("GET /keys HTTP/1.1")),
        probe("POST /token without Host", Probe.exactly("POST /token HTTP/1.1", "Content-Type: " + FORM,
            "Content-Length: 0")),
        probe("Host with a space", Probe.exactly("GET /token HTTP/1.1", "Host: a b")),
        probe("invalid percent-escape in the path", Probe.of("GET /%zz HTTP/1.1")),
        probe("invalid percent-escape in scope", Probe.of("GET /token?scope=%zz HTTP/1.1")),
        probe("unterminated percent-escape in the query", Probe.of("GET /token?service=% HTTP/1.1")),
        probe("invalid percent-escape in a token form", Probe.form("/token", FORM,
            "grant_type=password&username=%zz&password=x")),
        probe("invalid percent-escape in a revoke form", Probe.form("/revoke", FORM, "token=%zz")),
        probe("token form field over 8 KiB", Probe.form("/token", FORM,
            "grant_type=password&username=" + bigField + "&password=x")),
        probe("refresh token over 8 KiB", Probe.form("/token", FORM,
            "grant_type=refresh_token&refresh_token=" + bigField)),
        probe("revoke form field over 8 KiB", Probe.form("/revoke", FORM, "token=" + bigField)),
        probe("token form over the body limit", Probe.form("/token", FORM, "grant_type=password&username=alice"
            + "&password=" + "p".repeat(20_000))),
        probe("revoke form over the body limit", Probe.form("/revoke", FORM, "token=" + "t".repeat(20_000))),
        probe("token form of 300 fields", Probe.form("/token", FORM, "grant_type=password&username=alice"
            + "&password=x&" + manyFields)),
        probe("revoke form of 300 fields", Probe.form("/revoke", FORM, manyFields)),
        probe("form with an unknown charset", Probe.form("/token", FORM + "; charset=no-such-charset",
            "grant_type=password&username=alice&password=x")),
        probe("multipart token request", Probe.form("/token", "multipart/form-data; boundary=XX",
            "--XX\r\nContent-Disposition: form-data; name=\"grant_type\"\r\n\r\npassword\r\n--XX--\r\n")),
        probe("multipart without a boundary", Probe.form("/token", "multipart/form-data", "garbage")),
        probe("JSON token request", Probe.form("/token", "application/json", "{\"grant_type\":\"password\"}")),
        probe("Basic with invalid base64", Probe.of("GET /token HTTP/1.1", "Authorization: Basic !!!")),
        probe("Basic without a colon", Probe.of("GET /token HTTP/1.1", "Authorization: Basic "
            + base64("nocolon".getBytes(StandardCharsets.US_ASCII)))),
        probe("Basic of non-UTF-8 bytes", Probe.of("GET /token HTTP/1.1", "Authorization: Basic "
            + base64(new byte[] {(byte) 0xff, (byte) 0xfe, ':', (byte) 0xff}))),
        probe("Basic header of raw non-ASCII bytes", Probe.of("GET /token HTTP/1.1",
            "Authorization: Basic \u00ff\u00fe")),
        probe("Bearer instead of Basic", Probe.of("GET /token HTTP/1.1", "Authorization: Bearer a.b.c")),
        probe("Authorization over the header size limit", Probe.of("GET /token HTTP/1.1",
            "Authorization: Basic " + "a".repeat(20_000))),
        probe("scope list over the request line limit", Probe.of("GET /token?scope="
            + "repository:alice/a:pull%20".repeat(10_000) + " HTTP/1.1")),
        probe("unknown method", Probe.of("FOO /token HTTP/1.1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void answersA4xxAndLogsNoError(String name, Probe probe) {
    RawHttp.Response response = RawHttp.exchange(issuer.port(), probe.head(), probe.body());

    assertTrue(response.status() >= 400 && response.status() < 500,
        () -> name + " answered " + response.status() + ": " + response.body());
    assertEquals(List.of(), log.errors(), name + " logged an error");
  }

  @Test
  void http11WithoutHostIsAnInvalidRequest() {
    RawHttp.Response response = RawHttp.exchange(issuer.port(), List.of("GET /token HTTP/1.1"), "");

    assertEquals(400, response.status(), response.body());
    assertEquals(new JsonObject().put("error", "invalid_request")
        .put("error_description", "missing or invalid Host header")
        .put("details", "missing or invalid Host header"), new JsonObject(response.body()));
  }

  @Test
  void aPasswordTheFormDecoderCannotReadIsNeitherAnsweredNorLogged() {
    String password = "s3cret-Pa55-" + "%zz";
    Probe probe = Probe.form("/token", FORM, "grant_type=password&username=alice&password=" + password);

    RawHttp.Response response = RawHttp.exchange(issuer.port(), probe.head(), probe.body());

    assertEquals(400, response.status(), response.body());
    assertTrue(!response.body().contains("s3cret"), response.body());
    assertTrue(log.rendered().stream().noneMatch(line -> line.contains("s3cret")), () -> String.join("\n",
        log.rendered()));
  }

  @Test
  void http10WithoutHostGetsAToken() {
    RawHttp.Response response = RawHttp.exchange(issuer.port(), List.of("GET /token HTTP/1.0"), "");

    assertEquals(200, response.status(), response.body());
    assertTrue(new JsonObject(response.body()).containsKey("token"));
  }

  @Test
  void aFormFieldOver8KibIsAnInvalidRequestOnBothFormEndpoints() {
    String big = "a".repeat(9 * 1024);
    for (Probe probe : List.of(Probe.form("/token", FORM, "grant_type=password&username=alice&password=" + big),
        Probe.form("/revoke", FORM, "token=" + big))) {
      RawHttp.Response response = RawHttp.exchange(issuer.port(), probe.head(), probe.body());

      assertEquals(400, response.status(), response.body());
      assertEquals("invalid_request", new JsonObject(response.body()).getString("error"));
    }
    assertEquals(List.of(), log.errors());
  }

  @Test
  void aFormOverTheBodyLimitIsTooLargeOnBothFormEndpoints() {
    for (String path : List.of("/token", "/revoke")) {
      Probe probe = Probe.form(path, FORM, "token=" + "t".repeat(20_000));
      RawHttp.Response response = RawHttp.exchange(issuer.port(), probe.head(), probe.body());

      assertEquals(413, response.status(), response.body());
      assertEquals("invalid_request", new JsonObject(response.body()).getString("error"));
    }
  }

  @Test
  void aFormWithBrokenChunkFramingEndsWithoutAnError() throws Exception {
    String request = "POST /token HTTP/1.1\r\nHost: auth.test\r\nContent-Type: " + FORM
        + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
    try (Socket socket = new Socket("127.0.0.1", issuer.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 400 "), answer);
    }
    assertEquals(List.of(), log.errors());
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
