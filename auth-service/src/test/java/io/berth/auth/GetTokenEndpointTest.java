package io.berth.auth;

import static io.berth.auth.RunningIssuer.basic;
import static io.berth.auth.RunningIssuer.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /token as token.md describes it: Basic or anonymous, scope intersection, response fields, refusals. */
class GetTokenEndpointTest {
  @TempDir
  static Path directory;
  private static RunningIssuer issuer;

  @BeforeAll
  static void start() throws Exception {
    issuer = RunningIssuer.start(directory.resolve("storage"),
        RunningIssuer.standardSection(RunningIssuer.writeUsers(directory)).put("expiration", "15m"));
  }

  @AfterAll
  static void stop() throws Exception {
    issuer.close();
  }

  private static HttpResponse<String> token(String authorization, String... parameters) throws Exception {
    String path = "/token?" + query(parameters);
    return authorization == null ? issuer.get(path) : issuer.get(path, "Authorization", authorization);
  }

  private static JsonArray access(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return Jwt.parse(new JsonObject(response.body()).getString("token")).claims().getJsonArray("access");
  }

  private static JsonObject resource(String type, String name, String... actions) {
    return new JsonObject().put("type", type).put("name", name).put("actions", new JsonArray(List.of(actions)));
  }

  @Test
  void authenticatedRequestGetsTokenAndAccessTokenWithExpiryAndIssueTime() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    HttpResponse<String> response = token(basic("alice"), "service", RunningIssuer.SERVICE, "scope",
        "repository:alice/app:pull,push", "client_id", "docker", "account", "alice");
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
    JsonObject body = new JsonObject(response.body());
    assertEquals(body.getString("token"), body.getString("access_token"));
    assertEquals(900, body.getLong("expires_in"));
    Instant issuedAt = Instant.parse(body.getString("issued_at"));
    assertFalse(issuedAt.isBefore(before));
    assertFalse(issuedAt.isAfter(Instant.now()));
    assertFalse(body.containsKey("refresh_token"), "no refresh token unless offline_token=true");
    JsonObject claims = Jwt.parse(body.getString("token")).claims();
    assertEquals("alice", claims.getString("sub"));
    assertEquals(RunningIssuer.SERVICE, claims.getString("aud"));
    assertEquals(issuedAt.getEpochSecond() + 900, claims.getLong("exp"));
    assertEquals(new JsonArray().add(resource("repository", "alice/app", "pull", "push")), claims.getJsonArray("access"));
  }

  @Test
  void anonymousRequestIsGrantedOnlyTheAnonymousPolicy() throws Exception {
    HttpResponse<String> response = token(null, "service", RunningIssuer.SERVICE,
        "scope", "repository:public/base:pull,push", "scope", "repository:alice/app:pull");
    assertEquals(new JsonArray().add(resource("repository", "public/base", "pull"))
        .add(resource("repository", "alice/app")), access(response));
    assertEquals("", Jwt.parse(new JsonObject(response.body()).getString("token")).claims().getString("sub"));
  }

  @Test
  void wrongPasswordIsRefusedWithBasicChallengeAndJsonError() throws Exception {
    HttpResponse<String> response = token(basic("alice", "not-her-password"), "service", RunningIssuer.SERVICE,
        "scope", "repository:alice/app:pull");
    assertEquals(401, response.statusCode());
    assertEquals("Basic realm=\"" + RunningIssuer.ISSUER + "\"",
        response.headers().firstValue("WWW-Authenticate").orElseThrow());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    JsonObject error = new JsonObject(response.body());
    assertEquals("invalid_grant", error.getString("error"));
    assertEquals("invalid username or password", error.getString("error_description"));
    assertFalse(error.containsKey("token"));
  }

  @Test
  void unknownUserAndMalformedOrNonBasicCredentialsAreRefused() throws Exception {
    assertEquals(401, token(basic("mallory", "whatever")).statusCode());
    assertEquals(401, token("Basic !!!not-base64!!!").statusCode());
    assertEquals(401, token("Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))).statusCode());
    assertEquals(401, token("Bearer some.jwt.here").statusCode());
  }

  @Test
  void partialGrantIsNotAnErrorAndKeepsTheDeniedResourceWithNoActions() throws Exception {
    JsonArray access = access(token(basic("bob"), "service", RunningIssuer.SERVICE,
        "scope", "repository:shared/tools:pull,push,delete", "scope", "repository:alice/app:pull"));
    assertEquals(new JsonArray().add(resource("repository", "shared/tools", "pull"))
        .add(resource("repository", "alice/app")), access);
  }

  @Test
  void ownNamespaceRuleSubstitutesTheAccountAndReachesNestedNames() throws Exception {
    JsonArray access = access(token(basic("bob"), "scope", "repository:bob/team/app:pull,push,delete",
        "scope", "repository:bobby/app:pull"));
    assertEquals(new JsonArray().add(resource("repository", "bob/team/app", "delete", "pull", "push"))
        .add(resource("repository", "bobby/app")), access);
  }

  @Test
  void repeatedScopesForOneRepositoryAreMergedAndSpaceSeparatedScopesAreSplit() throws Exception {
    JsonArray access = access(token(basic("alice"), "scope", "repository:alice/a:pull",
        "scope", "repository:alice/a:push repository:shared/b:pull"));
    assertEquals(new JsonArray().add(resource("repository", "alice/a", "pull", "push"))
        .add(resource("repository", "shared/b", "pull")), access);
  }

  @Test
  void aNameWithHostAndPortIsNoRepositoryNameAndGrantsNothingEvenWhereARuleMatches() throws Exception {
    JsonArray access = access(token(null, "scope", "repository:localhost:5000/mirror/app:pull,push,delete"));
    assertEquals(new JsonArray(), access);
  }

  @Test
  void scopesForNamesThatAreNoRepositoryNamesAreLeftOutOfTheToken() throws Exception {
    JsonArray access = access(token(basic("alice"), "scope", "repository:alice/../secret/app:pull",
        "scope", "repository:alice//app:pull repository:alice/./app:pull repository:alice/app/:pull",
        "scope", "repository:alice/App:pull repository:alice/a:b:c:push repository::pull",
        "scope", "repository:alice/" + "a".repeat(300) + ":pull", "scope", "repository:alice/app:pull"));
    assertEquals(new JsonArray().add(resource("repository", "alice/app", "pull")), access);
  }

  @Test
  void catalogIsARegistryScopeGrantedOnlyByARuleForThatType() throws Exception {
    assertEquals(new JsonArray().add(resource("registry", "catalog", "*")),
        access(token(basic("admin"), "scope", "registry:catalog:*")));
    assertEquals(new JsonArray().add(resource("registry", "catalog")),
        access(token(basic("alice"), "scope", "registry:catalog:*")));
  }

  @Test
  void malformedScopesAreIgnored() throws Exception {
    assertEquals(new JsonArray().add(resource("repository", "alice/x", "pull")),
        access(token(basic("alice"), "scope", "repository", "scope", "nonsense:", "scope", "repository:alice/x:pull")));
  }

  @Test
  void loginWithoutScopeAuthenticatesAndGrantsNothing() throws Exception {
    assertEquals(new JsonArray(), access(token(basic("alice"), "service", RunningIssuer.SERVICE,
        "client_id", "docker", "offline_token", "false")));
  }

  @Test
  void offlineTokenGivesALoggedInUserARefreshTokenButNotAnAnonymousOne() throws Exception {
    JsonObject first = new JsonObject(token(basic("alice"), "offline_token", "true").body());
    JsonObject second = new JsonObject(token(basic("alice"), "offline_token", "true").body());
    String refresh = first.getString("refresh_token");
    assertTrue(refresh.matches("[A-Za-z0-9_-]{43}"), "256 random bits, base64url: " + refresh.length());
    assertNotEquals(refresh, second.getString("refresh_token"));
    JsonObject anonymous = new JsonObject(token(null, "offline_token", "true").body());
    assertTrue(anonymous.containsKey("token"));
    assertFalse(anonymous.containsKey("refresh_token"));
  }

  @Test
  void aTokenForAnotherServiceIsRefused() throws Exception {
    HttpResponse<String> response = token(basic("alice"), "service", "other.registry", "scope",
        "repository:alice/app:pull");
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", new JsonObject(response.body()).getString("error"));
  }

  @Test
  void anAccountParameterThatDiffersFromTheCredentialsIsRefused() throws Exception {
    HttpResponse<String> response = token(basic("bob"), "account", "alice", "scope", "repository:alice/app:push");
    assertEquals(400, response.statusCode());
    assertEquals("invalid_request", new JsonObject(response.body()).getString("error"));
  }

  @Test
  void unknownPathAnswersJsonNotFound() throws Exception {
    HttpResponse<String> response = issuer.get("/v2/");
    assertEquals(404, response.statusCode());
    assertEquals("not_found", new JsonObject(response.body()).getString("error"));
  }
}
