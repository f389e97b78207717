package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route table's access mapping, endpoint by endpoint, read off the challenge a token without grants gets (as
 * distribution's appendAccessRecords); and the same endpoints with no {@code auth} configured, where all pass.
 */
class RouteAccessTest {
  private static final String BLOB = "/v2/app/one/blobs/" + StubServices.digest('a');
  private static final String MANIFEST = "/v2/app/one/manifests/" + StubServices.digest('b');
  private static final String SESSION = "/v2/app/one/blobs/uploads/" + StubServices.SESSION;

  /** One endpoint, the scope it needs, and how it answers once let through. */
  private record Endpoint(HttpMethod method, String path, String scope, int status) {
  }

  private static final List<Endpoint> ENDPOINTS = List.of(
      new Endpoint(HttpMethod.GET, "/v2/app/one/tags/list", "repository:app/one:pull", 200),
      new Endpoint(HttpMethod.GET, "/v2/_catalog", "registry:catalog:*", 200),
      new Endpoint(HttpMethod.GET, "/v2/app/one/referrers/" + StubServices.digest('b'), "repository:app/one:pull", 200),
      new Endpoint(HttpMethod.GET, MANIFEST, "repository:app/one:pull", 200),
      new Endpoint(HttpMethod.HEAD, MANIFEST, "repository:app/one:pull", 200),
      new Endpoint(HttpMethod.PUT, "/v2/app/one/manifests/latest", "repository:app/one:pull,push", 201),
      new Endpoint(HttpMethod.DELETE, MANIFEST, "repository:app/one:delete", 202),
      new Endpoint(HttpMethod.DELETE, "/v2/app/one/", "repository:app/one:delete", 202),
      new Endpoint(HttpMethod.GET, BLOB, "repository:app/one:pull", 200),
      new Endpoint(HttpMethod.HEAD, BLOB, "repository:app/one:pull", 200),
      new Endpoint(HttpMethod.DELETE, BLOB, "repository:app/one:delete", 202),
      new Endpoint(HttpMethod.POST, "/v2/app/one/blobs/uploads/", "repository:app/one:pull,push", 202),
      new Endpoint(HttpMethod.POST, "/v2/app/one/blobs/uploads/?mount=" + StubServices.digest('a') + "&from=team/src",
          "repository:app/one:pull,push repository:team/src:pull", 201),
      new Endpoint(HttpMethod.POST, "/v2/app/one/blobs/uploads/?mount=" + StubServices.digest('a') + "&from=app/one",
          "repository:app/one:pull,push", 201),
      new Endpoint(HttpMethod.GET, SESSION, "repository:app/one:pull", 204),
      new Endpoint(HttpMethod.PATCH, SESSION, "repository:app/one:pull,push", 202),
      new Endpoint(HttpMethod.PUT, SESSION + "?digest=" + StubServices.digest('c'), "repository:app/one:pull,push", 201),
      new Endpoint(HttpMethod.DELETE, SESSION, "repository:app/one:delete", 204));

  @TempDir
  static Path directory;
  private static RunningGateway withToken;
  private static RunningGateway withoutAuth;
  private static String tokenWithoutGrants;

  @BeforeAll
  static void start() throws Exception {
    TestPki.Identity issuer = TestPki.selfSignedCa("CN=Route Test Issuer");
    Path bundle = TestPki.writeBundle(directory.resolve("bundle.pem"), issuer.certificate());
    Path tokenDirectory = Files.createDirectory(directory.resolve("token"));
    withToken = RunningGateway.start(tokenDirectory, Jwts.tokenAuth(bundle));
    withoutAuth = RunningGateway.start(Files.createDirectory(directory.resolve("none")), "");
    tokenWithoutGrants = Jwts.sign(Jwts.header("RS256").put("x5c", new JsonArray().add(issuer.x5c())),
        Jwts.claims(new JsonArray()), issuer.privateKey());
  }

  @AfterAll
  static void stop() throws Exception {
    withToken.close();
    withoutAuth.close();
  }

  @Test
  void everyEndpointAsksForDistributionsScope() throws Exception {
    for (Endpoint endpoint : ENDPOINTS) {
      HttpResponse<Buffer> response = send(withToken, endpoint, "Bearer " + tokenWithoutGrants);

      assertEquals(401, response.statusCode(), endpoint.toString());
      assertEquals("Bearer realm=\"" + Jwts.REALM + "\",service=\"" + Jwts.SERVICE + "\",scope=\"" + endpoint.scope()
          + "\",error=\"insufficient_scope\"", response.getHeader("WWW-Authenticate"), endpoint.toString());
    }
  }

  @Test
  void baseNeedsAuthenticationButNoScope() throws Exception {
    for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
      HttpResponse<Buffer> anonymous = withToken.send(withToken.request(method, "/v2/"));
      HttpResponse<Buffer> authenticated = withToken.send(withToken.request(method, "/v2/")
          .putHeader("Authorization", "Bearer " + tokenWithoutGrants));

      assertEquals(401, anonymous.statusCode());
      assertEquals("Bearer realm=\"" + Jwts.REALM + "\",service=\"" + Jwts.SERVICE + "\"",
          anonymous.getHeader("WWW-Authenticate"));
      assertEquals(200, authenticated.statusCode());
    }
  }

  @Test
  void invalidRepositoryNameIsRefusedAsSuchBeforeAuthentication() throws Exception {
    HttpResponse<Buffer> response = withToken.send(withToken.request(HttpMethod.GET, "/v2/App/One/tags/list"));

    assertEquals(400, response.statusCode());
    assertEquals("NAME_INVALID", response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0)
        .getString("code"));
  }

  @Test
  void withoutAuthEveryEndpointIsOpen() throws Exception {
    for (Endpoint endpoint : ENDPOINTS) {
      HttpResponse<Buffer> response = send(withoutAuth, endpoint, null);

      assertEquals(endpoint.status(), response.statusCode(), endpoint.toString());
      assertEquals(null, response.getHeader("WWW-Authenticate"), endpoint.toString());
    }
    assertEquals(200, withoutAuth.send(withoutAuth.request(HttpMethod.GET, "/v2/")).statusCode());
  }

  private static HttpResponse<Buffer> send(RunningGateway gateway, Endpoint endpoint, String authorization)
      throws Exception {
    var request = gateway.request(endpoint.method(), endpoint.path());
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    if (endpoint.method() == HttpMethod.PUT || endpoint.method() == HttpMethod.PATCH) {
      request.putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json");
      return gateway.send(request, Buffer.buffer(StubServices.MANIFEST));
    }
    return gateway.send(request);
  }
}
