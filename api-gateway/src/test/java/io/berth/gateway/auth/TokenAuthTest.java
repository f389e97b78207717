package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.common.auth.KeyIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with {@code auth.token}, through the real routes: a token from an issuer whose certificate chains to
 * the bundle passes; every forged, stale, misdirected or too narrow token fails closed with 401 and the challenge
 * Docker clients act on.
 */
class TokenAuthTest {
  private static final String BEARER = "Bearer realm=\"" + Jwts.REALM + "\",service=\"" + Jwts.SERVICE + "\"";
  private static final String PULL_ONE = BEARER + ",scope=\"repository:app/one:pull\"";

  @TempDir
  static Path directory;
  private static TestPki.Identity ca;
  private static TestPki.Identity issuer;
  private static TestPki.Identity rogueCa;
  private static TestPki.Identity rogueIssuer;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    ca = TestPki.selfSignedCa("CN=Berth Test CA");
    issuer = TestPki.issuedBy(ca, "CN=Berth Test Issuer", TestPki.rsa(), false);
    rogueCa = TestPki.selfSignedCa("CN=Berth Test CA");
    rogueIssuer = TestPki.issuedBy(rogueCa, "CN=Berth Test Issuer", TestPki.rsa(), false);
    Path bundle = TestPki.writeBundle(directory.resolve("bundle.pem"), ca.certificate());
    gateway = RunningGateway.start(directory, Jwts.tokenAuth(bundle));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void validTokenWithCertificateChainPasses() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v2/app/one/tags/list",
        token(Jwts.access("repository", "app/one", "pull")));

    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject().put("name", "app/one").put("tags", new JsonArray().add("latest")),
        response.bodyAsJsonObject());
  }

  @Test
  void baseWithoutTokenAnswers401WithChallengeWithoutScope() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/"));

    assertEquals(401, response.statusCode());
    assertEquals(BEARER, response.getHeader("WWW-Authenticate"));
    JsonObject error = response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals("UNAUTHORIZED", error.getString("code"));
    assertNull(error.getValue("detail"));
  }

  @Test
  void baseWithAValidTokenWithoutAnyAccessAnswers200() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v2/", token(new JsonArray()));

    assertEquals(200, response.statusCode());
    assertEquals("{}", response.bodyAsString());
  }

  @Test
  void baseWithAnInvalidTokenAnswers401WithInvalidTokenAndNoScope() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v2/", "not-a-jwt");

    assertEquals(401, response.statusCode());
    assertEquals(BEARER + ",error=\"invalid_token\"", response.getHeader("WWW-Authenticate"));
  }

  @Test
  void pullWithoutTokenChallengesWithTheScopeAndListsTheAccessInTheBody() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/app/one/manifests/latest"));

    assertEquals(401, response.statusCode());
    assertEquals(PULL_ONE, response.getHeader("WWW-Authenticate"));
    JsonObject error = response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals("UNAUTHORIZED", error.getString("code"));
    assertEquals(new JsonArray().add(new JsonObject().put("Type", "repository").put("Class", "")
        .put("Name", "app/one").put("Action", "pull")), error.getJsonArray("detail"));
  }

  @Test
  void basicCredentialsAreNotABearerToken() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/app/one/tags/list")
        .putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            "alice:secret".getBytes(StandardCharsets.UTF_8))));

    assertEquals(401, response.statusCode());
    assertEquals(PULL_ONE, response.getHeader("WWW-Authenticate"));
  }

  @Test
  void algNoneIsRefused() throws Exception {
    JsonObject header = Jwts.header("none").put("x5c", chain(issuer, ca));
    String token = Jwts.unsigned(header, Jwts.claims(Jwts.access("repository", "app/one", "pull")));

    assertInvalidToken(token);
    assertInvalidToken(token + Jwts.b64("forged".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() throws Exception {
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull"));
    byte[] der = issuer.publicKey().getEncoded();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";

    assertInvalidToken(Jwts.hmac(Jwts.header("HS256").put("x5c", chain(issuer, ca)), claims, der));
    assertInvalidToken(Jwts.hmac(Jwts.header("HS256").put("x5c", chain(issuer, ca)), claims,
        pem.getBytes(StandardCharsets.US_ASCII)));
    assertInvalidToken(Jwts.hmac(Jwts.header("HS256").put("kid",
        KeyIds.thumbprint(ca.publicKey())), claims, ca.certificate().getEncoded()));
  }

  @Test
  void expiredTokenIsRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull"))
        .put("iat", now - 600).put("nbf", now - 600).put("exp", now - 90);

    assertInvalidToken(signed(claims));
  }

  @Test
  void tokenWithoutExpiryIsRefused() throws Exception {
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull"));
    claims.remove("exp");

    assertInvalidToken(signed(claims));
  }

  @Test
  void tokenExpiredWithinTheLeewayStillPasses() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull")).put("exp", now - 30);

    assertEquals(200, send(HttpMethod.GET, "/v2/app/one/tags/list", signed(claims)).statusCode());
  }

  @Test
  void notYetValidTokenIsRefused() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull"))
        .put("nbf", now + 90).put("exp", now + 600);

    assertInvalidToken(signed(claims));
  }

  @Test
  void tokenValidWithinTheLeewayFromNowPasses() throws Exception {
    long now = Instant.now().getEpochSecond();
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull")).put("nbf", now + 30);

    assertEquals(200, send(HttpMethod.GET, "/v2/app/one/tags/list", signed(claims)).statusCode());
  }

  @Test
  void wrongAudienceIsRefused() throws Exception {
    assertInvalidToken(signed(Jwts.claims(Jwts.access("repository", "app/one", "pull")).put("aud", "other.test")));
    assertInvalidToken(signed(Jwts.claims(Jwts.access("repository", "app/one", "pull"))
        .put("aud", new JsonArray().add("other.test"))));
    assertInvalidToken(signed(Jwts.claims(Jwts.access("repository", "app/one", "pull")).put("aud", 7)));
  }

  @Test
  void audienceListHoldingTheServicePasses() throws Exception {
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull"))
        .put("aud", new JsonArray().add("other.test").add(Jwts.SERVICE));

    assertEquals(200, send(HttpMethod.GET, "/v2/app/one/tags/list", signed(claims)).statusCode());
  }

  @Test
  void timeClaimsThatAreNoTimeMakeAnInvalidTokenNotAServerError() throws Exception {
    List<Object> noTimes = List.of(Long.MAX_VALUE, Long.MIN_VALUE, Instant.MAX.getEpochSecond(),
        Instant.MIN.getEpochSecond(), BigInteger.TWO.pow(63), BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE),
        1e300, -1e300, 1.5, "1700000000", true, new JsonArray(), new JsonObject());
    for (String claim : List.of("exp", "nbf", "iat")) {
      for (Object value : noTimes) {
        JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull")).put(claim, value);

        assertInvalidToken(signed(claims), claim + ": " + value);
      }
    }
  }

  @Test
  void claimsOfTheWrongJsonTypeMakeAnInvalidToken() throws Exception {
    JsonArray pull = Jwts.access("repository", "app/one", "pull");
    List<JsonObject> malformed = List.of(
        Jwts.claims(pull).put("aud", new JsonObject()), Jwts.claims(pull).put("aud", new JsonArray().add(7)),
        Jwts.claims(pull).putNull("aud"), Jwts.claims(pull).put("iss", 7),
        Jwts.claims(pull).put("iss", new JsonArray()), Jwts.claims(pull).putNull("iss"),
        Jwts.claims(pull).put("sub", 7), Jwts.claims(pull).put("jti", 7),
        Jwts.claims(pull).put("access", "repository:app/one:pull"), Jwts.claims(pull).put("access", new JsonObject()),
        Jwts.claims(pull).put("access", new JsonArray().add(1)),
        Jwts.claims(pull).put("access", new JsonArray().add(new JsonObject().put("type", 1).put("name", "app/one"))),
        Jwts.claims(pull).put("access", new JsonArray().add(Jwts.grant("repository", "app/one")
            .put("actions", "pull"))),
        Jwts.claims(pull).put("access", new JsonArray().add(Jwts.grant("repository", "app/one")
            .put("actions", new JsonArray().add(1)))));
    for (JsonObject claims : malformed) {
      assertInvalidToken(signed(claims), claims.encode());
    }
  }

  @Test
  void wrongIssuerIsRefused() throws Exception {
    assertInvalidToken(signed(Jwts.claims(Jwts.access("repository", "app/one", "pull")).put("iss", "someone-else")));
  }

  @Test
  void tamperedPayloadIsRefused() throws Exception {
    String token = signed(Jwts.claims(Jwts.access("repository", "app/one", "pull")));
    String[] parts = token.split("\\.");
    String widened = Jwts.encode(Jwts.claims(Jwts.access("repository", "app/one", "pull", "push")));

    assertInvalidToken(parts[0] + "." + widened + "." + parts[2]);
  }

  @Test
  void tamperedSignatureIsRefused() throws Exception {
    String token = signed(Jwts.claims(Jwts.access("repository", "app/one", "pull")));
    String[] parts = token.split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[10] ^= 1;

    assertInvalidToken(parts[0] + "." + parts[1] + "." + Jwts.b64(signature));
  }

  @Test
  void unknownKidIsRefused() throws Exception {
    JsonObject header = Jwts.header("RS256").put("kid", "PYYO:TEWU:V7JH:26JV:AQTZ:LJC3:SXVJ:XGHA:34F2:2LAQ:ZRMK:Z7Q6");

    assertInvalidToken(Jwts.sign(header, Jwts.claims(Jwts.access("repository", "app/one", "pull")),
        issuer.privateKey()));
  }

  @Test
  void certificateChainNotRootedInTheBundleIsRefused() throws Exception {
    JsonObject claims = Jwts.claims(Jwts.access("repository", "app/one", "pull"));

    assertInvalidToken(Jwts.sign(Jwts.header("RS256").put("x5c", chain(rogueIssuer, rogueCa)), claims,
        rogueIssuer.privateKey()));
    assertInvalidToken(Jwts.sign(Jwts.header("RS256").put("x5c", chain(rogueIssuer)), claims,
        rogueIssuer.privateKey()));
  }

  @Test
  void trustedChainWithAnotherKeysSignatureIsRefused() throws Exception {
    JsonObject header = Jwts.header("RS256").put("x5c", chain(issuer, ca));

    assertInvalidToken(Jwts.sign(header, Jwts.claims(Jwts.access("repository", "app/one", "pull")),
        rogueIssuer.privateKey()));
  }

  @Test
  void tokenForRepositoryAUsedOnRepositoryBIsRefused() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v2/app/two/tags/list",
        token(Jwts.access("repository", "app/one", "pull", "push")));

    assertEquals(401, response.statusCode());
    assertEquals(BEARER + ",scope=\"repository:app/two:pull\",error=\"insufficient_scope\"",
        response.getHeader("WWW-Authenticate"));
    assertEquals(new JsonObject().put("code", "UNAUTHORIZED").put("message", "authentication required")
            .put("detail", new JsonArray().add(access("app/two", "pull"))),
        response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0),
        "distribution answers UNAUTHORIZED with the access records; the challenge's error says why");
  }

  @Test
  void pullOnlyTokenCannotPush() throws Exception {
    String token = token(Jwts.access("repository", "app/one", "pull"));
    String pushChallenge = BEARER + ",scope=\"repository:app/one:pull,push\",error=\"insufficient_scope\"";

    HttpResponse<Buffer> start = send(HttpMethod.POST, "/v2/app/one/blobs/uploads/", token);
    HttpResponse<Buffer> patch = gateway.send(authorized(HttpMethod.PATCH,
        "/v2/app/one/blobs/uploads/" + StubServices.SESSION, token), Buffer.buffer("abc"));
    HttpResponse<Buffer> manifest = gateway.send(authorized(HttpMethod.PUT, "/v2/app/one/manifests/latest", token)
        .putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json"), Buffer.buffer(StubServices.MANIFEST));

    for (HttpResponse<Buffer> response : List.of(start, patch, manifest)) {
      assertEquals(401, response.statusCode());
      assertEquals(pushChallenge, response.getHeader("WWW-Authenticate"));
    }
  }

  @Test
  void pushTokenMayUploadAndPutManifests() throws Exception {
    String token = token(Jwts.access("repository", "app/one", "pull", "push"));

    HttpResponse<Buffer> start = send(HttpMethod.POST, "/v2/app/one/blobs/uploads/", token);
    HttpResponse<Buffer> patch = gateway.send(authorized(HttpMethod.PATCH,
        "/v2/app/one/blobs/uploads/" + StubServices.SESSION, token), Buffer.buffer(new byte[70_000]));
    HttpResponse<Buffer> manifest = gateway.send(authorized(HttpMethod.PUT, "/v2/app/one/manifests/latest", token)
        .putHeader("Content-Type", "application/vnd.oci.image.manifest.v1+json"), Buffer.buffer(StubServices.MANIFEST));

    assertEquals(202, start.statusCode());
    assertEquals(202, patch.statusCode());
    assertEquals("0-69999", patch.getHeader("Range"));
    assertEquals(201, manifest.statusCode());
  }

  @Test
  void pushTokenCannotDeleteButAWildcardTokenCan() throws Exception {
    String path = "/v2/app/one/manifests/" + StubServices.digest('b');

    HttpResponse<Buffer> refused = send(HttpMethod.DELETE, path,
        token(Jwts.access("repository", "app/one", "pull", "push")));
    HttpResponse<Buffer> deleted = send(HttpMethod.DELETE, path, token(Jwts.access("repository", "app/one", "*")));

    assertEquals(401, refused.statusCode());
    assertEquals(BEARER + ",scope=\"repository:app/one:delete\",error=\"insufficient_scope\"",
        refused.getHeader("WWW-Authenticate"));
    assertEquals(202, deleted.statusCode());
  }

  @Test
  void catalogNeedsRegistryCatalogStar() throws Exception {
    JsonArray repositoryAccess = Jwts.access("repository", "app/one", "*");
    JsonArray catalogPull = Jwts.access("registry", "catalog", "pull");
    JsonArray catalogAll = Jwts.access("registry", "catalog", "*");
    String challenge = BEARER + ",scope=\"registry:catalog:*\",error=\"insufficient_scope\"";

    HttpResponse<Buffer> withRepositoryAccess = send(HttpMethod.GET, "/v2/_catalog", token(repositoryAccess));
    HttpResponse<Buffer> withCatalogPull = send(HttpMethod.GET, "/v2/_catalog", token(catalogPull));
    HttpResponse<Buffer> withCatalogAll = send(HttpMethod.GET, "/v2/_catalog", token(catalogAll));

    assertEquals(401, withRepositoryAccess.statusCode());
    assertEquals(challenge, withRepositoryAccess.getHeader("WWW-Authenticate"));
    assertEquals(401, withCatalogPull.statusCode());
    assertEquals(challenge, withCatalogPull.getHeader("WWW-Authenticate"));
    assertEquals(200, withCatalogAll.statusCode());
    assertEquals(new JsonArray().add("app/one").add("app/two"),
        withCatalogAll.bodyAsJsonObject().getJsonArray("repositories"));
  }

  @Test
  void mountNeedsPullOnTheSourceRepository() throws Exception {
    String path = "/v2/app/one/blobs/uploads/?mount=" + StubServices.digest('a') + "&from=team/src";
    JsonArray targetOnly = Jwts.access("repository", "app/one", "pull", "push");
    JsonArray withSource = targetOnly.copy().add(Jwts.grant("repository", "team/src", "pull"));

    HttpResponse<Buffer> refused = send(HttpMethod.POST, path, token(targetOnly));
    HttpResponse<Buffer> mounted = send(HttpMethod.POST, path, token(withSource));

    assertEquals(401, refused.statusCode());
    assertEquals(BEARER + ",scope=\"repository:app/one:pull,push repository:team/src:pull\""
        + ",error=\"insufficient_scope\"", refused.getHeader("WWW-Authenticate"));
    assertEquals(new JsonArray()
            .add(access("app/one", "pull")).add(access("app/one", "push")).add(access("team/src", "pull")),
        refused.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0).getJsonArray("detail"));
    assertEquals(201, mounted.statusCode());
    assertEquals("/v2/app/one/blobs/" + StubServices.digest('a'),
        URI.create(mounted.getHeader("Location")).getPath());
  }

  @Test
  void headOfABlobWithAPullTokenPassesAndWithoutTokenIsChallenged() throws Exception {
    String path = "/v2/app/one/blobs/" + StubServices.digest('a');

    HttpResponse<Buffer> allowed = send(HttpMethod.HEAD, path, token(Jwts.access("repository", "app/one", "pull")));
    HttpResponse<Buffer> refused = gateway.send(gateway.request(HttpMethod.HEAD, path));

    assertEquals(200, allowed.statusCode());
    assertEquals("3", allowed.getHeader("Content-Length"));
    assertEquals(401, refused.statusCode());
    assertEquals(PULL_ONE, refused.getHeader("WWW-Authenticate"));
  }

  private static JsonObject access(String name, String action) {
    return new JsonObject().put("Type", "repository").put("Class", "").put("Name", name).put("Action", action);
  }

  private void assertInvalidToken(String token) throws Exception {
    assertInvalidToken(token, "token");
  }

  private void assertInvalidToken(String token, String what) throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.GET, "/v2/app/one/tags/list", token);

    assertEquals(401, response.statusCode(), () -> what + ": " + response.bodyAsString());
    assertEquals(PULL_ONE + ",error=\"invalid_token\"", response.getHeader("WWW-Authenticate"), what);
    assertEquals("UNAUTHORIZED", response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0)
        .getString("code"), what);
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String token) throws Exception {
    return gateway.send(authorized(method, path, token));
  }

  private static HttpRequest<Buffer> authorized(HttpMethod method, String path, String token) {
    return gateway.request(method, path).putHeader("Authorization", "Bearer " + token);
  }

  /** A token from the trusted issuer, with the chain up to the bundle's CA in x5c. */
  static String token(JsonArray access) throws Exception {
    return signed(Jwts.claims(access));
  }

  private static String signed(JsonObject claims) throws Exception {
    return Jwts.sign(Jwts.header("RS256").put("x5c", chain(issuer, ca)), claims, issuer.privateKey());
  }

  private static JsonArray chain(TestPki.Identity... certificates) {
    JsonArray chain = new JsonArray();
    for (TestPki.Identity identity : certificates) {
      chain.add(identity.x5c());
    }
    return chain;
  }
}
