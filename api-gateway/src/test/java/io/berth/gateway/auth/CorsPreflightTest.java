package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A browser UI (joxit/docker-registry-ui) talking to the registry across origins, with authentication on: its
 * preflights carry no credentials and must get 200 with the configured CORS headers on every endpoint, while the
 * request itself still gets 401, with the CORS headers, so the UI can read the challenge and ask for a login.
 */
class CorsPreflightTest {
  private static final String ORIGIN = "http://ui.example.com:8080";
  /** The headers the registry UIs document, as the articles' readers paste them. */
  private static final String CORS_HEADERS = String.join("\n",
      "  headers:",
      "    Access-Control-Allow-Origin: ['" + ORIGIN + "']",
      "    Access-Control-Allow-Methods: ['HEAD', 'GET', 'OPTIONS', 'DELETE']",
      "    Access-Control-Allow-Headers: ['Authorization', 'Accept', 'Cache-Control']",
      "    Access-Control-Allow-Credentials: [true]",
      "    Access-Control-Expose-Headers: ['Docker-Content-Digest']",
      "");
  private static final String BLOB = "/v2/app/one/blobs/sha256:"
      + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String SESSION = "/v2/app/one/blobs/uploads/" + StubServices.SESSION;

  @TempDir
  static Path directory;
  private static RunningGateway htpasswd;
  private static RunningGateway token;
  private static RunningGateway open;

  @BeforeAll
  static void start() throws Exception {
    Path basic = Files.createDirectories(directory.resolve("htpasswd"));
    Files.writeString(basic.resolve("htpasswd"), "");
    htpasswd = RunningGateway.start(basic, "  htpasswd:\n    realm: basic-realm\n    path: "
        + basic.resolve("htpasswd") + "\n", CORS_HEADERS);
    Path bearer = Files.createDirectories(directory.resolve("token"));
    Path bundle = TestPki.writeBundle(bearer.resolve("bundle.pem"), TestPki.selfSignedCa("CN=CORS CA").certificate());
    token = RunningGateway.start(bearer, Jwts.tokenAuth(bundle), CORS_HEADERS);
    open = RunningGateway.start(Files.createDirectories(directory.resolve("open")), "");
  }

  @AfterAll
  static void stop() throws Exception {
    htpasswd.close();
    token.close();
    open.close();
  }

  private static HttpResponse<Buffer> preflight(RunningGateway gateway, String path, String method) throws Exception {
    return gateway.send(gateway.request(HttpMethod.OPTIONS, path)
        .putHeader("Origin", ORIGIN)
        .putHeader("Access-Control-Request-Method", method)
        .putHeader("Access-Control-Request-Headers", "authorization"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/v2/                                   | GET    | GET, HEAD",
      "/v2/_catalog                           | GET    | GET",
      "/v2/app/one/manifests/latest           | DELETE | DELETE, GET, HEAD, PUT",
      "/v2/no/such/repository/manifests/1.0   | DELETE | DELETE, GET, HEAD, PUT",
      BLOB + "                                | DELETE | DELETE, GET, HEAD",
      "/v2/app/one/tags/list                  | GET    | GET",
      "/v2/app/one/blobs/uploads/             | POST   | POST",
      SESSION + "                             | PATCH  | DELETE, GET, PATCH, PUT",
      "/v2/app/one/referrers/" + "sha256:" + "0000000000000000000000000000000000000000000000000000000000000000"
          + " | GET | GET",
      "/v2/app/one/                           | DELETE | DELETE"})
  void aPreflightWithoutCredentialsGets200WithTheCorsHeadersOnEveryEndpoint(String path, String method, String allow)
      throws Exception {
    for (RunningGateway gateway : List.of(htpasswd, token)) {
      HttpResponse<Buffer> response = preflight(gateway, path, method);

      assertEquals(200, response.statusCode(), response::bodyAsString);
      assertEquals(allow, response.getHeader("Allow"));
      assertEquals(ORIGIN, response.getHeader("Access-Control-Allow-Origin"));
      assertEquals(List.of("HEAD", "GET", "OPTIONS", "DELETE"),
          response.headers().getAll("Access-Control-Allow-Methods"));
      assertTrue(response.headers().getAll("Access-Control-Allow-Headers").contains("Authorization"));
      assertEquals("true", response.getHeader("Access-Control-Allow-Credentials"));
      assertEquals("registry/2.0", response.getHeader("Docker-Distribution-API-Version"));
      assertNull(response.getHeader("WWW-Authenticate"));
      assertEquals(0, response.body() == null ? 0 : response.body().length());
    }
  }

  @Test
  void theRequestItselfWithoutCredentialsGets401WithTheCorsHeadersSoTheUiCanReadIt() throws Exception {
    for (RunningGateway gateway : List.of(htpasswd, token)) {
      for (String path : new String[] {"/v2/", "/v2/_catalog", "/v2/app/one/manifests/latest", BLOB}) {
        HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, path).putHeader("Origin", ORIGIN));

        assertEquals(401, response.statusCode(), path);
        assertEquals(ORIGIN, response.getHeader("Access-Control-Allow-Origin"), path);
        assertEquals("true", response.getHeader("Access-Control-Allow-Credentials"), path);
        assertTrue(response.getHeader("WWW-Authenticate") != null, path);
      }
    }
  }

  @Test
  void withoutCorsHeadersConfiguredOptionsStillAnswersTheMethodsAsDistributionDoes() throws Exception {
    HttpResponse<Buffer> response = preflight(open, "/v2/app/one/manifests/latest", "DELETE");

    assertEquals(200, response.statusCode());
    assertEquals("DELETE, GET, HEAD, PUT", response.getHeader("Allow"));
    assertNull(response.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void aPathThatIsNoEndpointIsNotFoundForOptionsAndEveryOtherMethod() throws Exception {
    assertEquals(404, preflight(htpasswd, "/v2/app/one/nothing", "GET").statusCode());
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE)) {
      assertEquals(404, open.send(open.request(method, "/v2/app/one/nothing"), Buffer.buffer()).statusCode(),
          method::name);
    }
  }

  /**
   * The Allow header of each endpoint is the route table's: every method it names is routed, no other is (405, or 404
   * where a catch-all route answers a repository's own path).
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/v2/", "/v2/_catalog", "/v2/app/one/manifests/latest", BLOB, "/v2/app/one/tags/list",
      "/v2/app/one/blobs/uploads/", SESSION, "/v2/app/one/referrers/" + "sha256:"
          + "0000000000000000000000000000000000000000000000000000000000000000", "/v2/app/one/"})
  void theAllowedMethodsAreExactlyThoseTheRoutesAnswer(String path) throws Exception {
    List<String> allowed = Arrays.asList(preflight(open, path, "GET").getHeader("Allow").split(", "));

    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.POST,
        HttpMethod.PATCH, HttpMethod.DELETE)) {
      int status = open.send(open.request(method, path), Buffer.buffer()).statusCode();

      assertEquals(allowed.contains(method.name()), status != 405 && status != 404,
          method + " " + path + " answered " + status);
    }
  }
}
