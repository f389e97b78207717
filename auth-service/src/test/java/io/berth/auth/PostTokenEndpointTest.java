package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.refresh.FileSystemRefreshTokenStore;
import io.berth.common.auth.KeyIds;
import io.berth.common.testing.Polling;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /token (oauth.md): password and refresh_token grants; refresh tokens bound, revocable and durable. */
class PostTokenEndpointTest {
  private static final String FORM = "application/x-www-form-urlencoded";

  @TempDir
  Path directory;
  private Path users;
  private RunningIssuer issuer;

  @BeforeEach
  void start() throws Exception {
    users = RunningIssuer.writeUsers(directory);
    // ES256: a P-256 key is generated in milliseconds, an RSA key may take seconds on a busy machine.
    issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(users)
        .put("signing", new JsonObject().put("algorithm", "ES256")));
  }

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private JsonObject ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
    return new JsonObject(response.body());
  }

  private String offlineLogin(String user) throws Exception {
    return ok(issuer.postForm("/token", "grant_type", "password", "username", user,
        "password", RunningIssuer.PASSWORDS.get(user), "service", RunningIssuer.SERVICE, "client_id", "test",
        "access_type", "offline")).getString("refresh_token");
  }

  private HttpResponse<String> refresh(String refreshToken, String scope) throws Exception {
    return issuer.postForm("/token", "grant_type", "refresh_token", "refresh_token", refreshToken,
        "service", RunningIssuer.SERVICE, "client_id", "test", "scope", scope);
  }

  @Test
  void passwordGrantAnswersGrantedScopeSpaceSeparatedWithExpiryAndNoRefreshTokenByDefault() throws Exception {
    JsonObject body = ok(issuer.postForm("/token", "grant_type", "password", "username", "bob",
        "password", RunningIssuer.PASSWORDS.get("bob"), "service", RunningIssuer.SERVICE, "client_id", "test",
        "scope", "repository:bob/app:pull,push repository:shared/x:pull,push repository:alice/y:pull"));
    assertEquals("repository:bob/app:pull,push repository:shared/x:pull", body.getString("scope"));
    assertEquals(300, body.getLong("expires_in"));
    assertTrue(body.containsKey("issued_at"));
    assertFalse(body.containsKey("refresh_token"));
    JsonObject claims = Jwt.parse(body.getString("access_token")).claims();
    assertEquals("bob", claims.getString("sub"));
    assertEquals(3, claims.getJsonArray("access").size());
  }

  @Test
  void scopesForNamesThatAreNoRepositoryNamesAreLeftOutOfTheToken() throws Exception {
    JsonObject body = ok(issuer.postForm("/token", "grant_type", "password", "username", "bob",
        "password", RunningIssuer.PASSWORDS.get("bob"), "service", RunningIssuer.SERVICE, "client_id", "test",
        "scope", "repository:bob/../alice/app:pull repository:bob/app:pull"));
    assertEquals("repository:bob/app:pull", body.getString("scope"));
    assertEquals(1, Jwt.parse(body.getString("access_token")).claims().getJsonArray("access").size());
  }

  @Test
  void passwordGrantWithWrongPasswordIsUnauthorized() throws Exception {
    HttpResponse<String> response = issuer.postForm("/token", "grant_type", "password", "username", "bob",
        "password", "wrong", "service", RunningIssuer.SERVICE, "client_id", "test");
    assertEquals(401, response.statusCode());
    assertEquals("invalid_grant", new JsonObject(response.body()).getString("error"));
    assertTrue(response.headers().firstValue("WWW-Authenticate").orElseThrow().startsWith("Basic realm="));
  }

  @Test
  void refreshGrantIssuesTokensForTheBoundSubjectWithFreshlyEvaluatedScopes() throws Exception {
    String refreshToken = offlineLogin("alice");
    JsonObject body = ok(refresh(refreshToken, "repository:alice/app:push repository:bob/app:pull"));
    assertEquals("repository:alice/app:push", body.getString("scope"));
    assertEquals("alice", Jwt.parse(body.getString("access_token")).claims().getString("sub"));
    assertFalse(body.containsKey("refresh_token"));
    JsonObject again = ok(issuer.postForm("/token", "grant_type", "refresh_token", "refresh_token", refreshToken,
        "service", RunningIssuer.SERVICE, "access_type", "offline"));
    assertEquals(refreshToken, again.getString("refresh_token"), "the same token, not a replacement");
    assertEquals("", again.getString("scope"));
  }

  @Test
  void refreshTokenFromGetLoginWorksOnPost() throws Exception {
    String refreshToken = new JsonObject(issuer.get("/token?offline_token=true&service=" + RunningIssuer.SERVICE,
        "Authorization", RunningIssuer.basic("bob")).body()).getString("refresh_token");
    assertEquals("repository:bob/x:pull", ok(refresh(refreshToken, "repository:bob/x:pull")).getString("scope"));
  }

  @Test
  void unknownRefreshTokenIsUnauthorized() throws Exception {
    HttpResponse<String> response = refresh("A".repeat(43), "repository:alice/app:pull");
    assertEquals(401, response.statusCode());
    assertEquals("invalid_grant", new JsonObject(response.body()).getString("error"));
  }

  @Test
  void refreshTokenIsBoundToItsServiceAndUnusableForAnother() throws Exception {
    String refreshToken = offlineLogin("alice");
    HttpResponse<String> response = issuer.postForm("/token", "grant_type", "refresh_token",
        "refresh_token", refreshToken, "service", "other.registry");
    assertEquals(400, response.statusCode());
    assertEquals(200, refresh(refreshToken, "").statusCode());
  }

  @Test
  void revokedRefreshTokenIsUnauthorizedAndRevocationOfUnknownTokensStillAnswers200() throws Exception {
    String refreshToken = offlineLogin("alice");
    String other = offlineLogin("alice");
    HttpResponse<String> revoked = issuer.postForm("/revoke", "token", refreshToken, "token_type_hint",
        "refresh_token");
    assertEquals(200, revoked.statusCode(), revoked.body());
    assertEquals(401, refresh(refreshToken, "repository:alice/app:pull").statusCode());
    assertEquals(200, refresh(other, "repository:alice/app:pull").statusCode(), "only that token is revoked");
    assertEquals(200, issuer.postForm("/revoke", "token", refreshToken).statusCode());
    assertEquals(200, issuer.postForm("/revoke", "token", "never-issued").statusCode());
    assertEquals(400, issuer.postForm("/revoke", "token_type_hint", "refresh_token").statusCode());
  }

  @Test
  void refreshTokensSurviveARestartAndRevocationsToo() throws Exception {
    String kept = offlineLogin("alice");
    String revoked = offlineLogin("bob");
    assertEquals(200, issuer.postForm("/revoke", "token", revoked).statusCode());
    issuer.restart();
    assertEquals("repository:alice/app:pull",
        ok(refresh(kept, "repository:alice/app:pull")).getString("scope"));
    assertEquals(401, refresh(revoked, "repository:bob/app:pull").statusCode());
  }

  @Test
  void aRefreshTokenIsRefusedOnceRefreshExpirationHasPassed() throws Exception {
    issuer.close();
    issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(users)
        .put("signing", new JsonObject().put("algorithm", "ES256")).put("refreshexpiration", "3s"));
    String refreshToken = offlineLogin("alice");
    assertEquals(200, refresh(refreshToken, "repository:alice/app:pull").statusCode());

    HttpResponse<String> refused = Polling.until(() -> refresh(refreshToken, "repository:alice/app:pull"),
        response -> response.statusCode() != 200, Duration.ofMillis(100), Duration.ofSeconds(30));

    assertEquals(401, refused.statusCode(), refused.body());
    assertEquals("invalid_grant", new JsonObject(refused.body()).getString("error"));
  }

  @Test
  void theTokenFileIsNamedByTheTokensHashHoldsNoTokenAndIsPrivate() throws Exception {
    String refreshToken = offlineLogin("alice");
    Path tokens = issuer.dataDirectory().resolve(FileSystemRefreshTokenStore.TOKENS);
    List<Path> files;
    try (var listing = Files.list(tokens)) {
      files = listing.toList();
    }
    assertEquals(1, files.size(), files::toString);
    Path file = files.get(0);
    assertEquals(KeyIds.base64Url(MessageDigest.getInstance("SHA-256")
        .digest(refreshToken.getBytes(StandardCharsets.UTF_8))), file.getFileName().toString());
    String content = Files.readString(file);
    assertFalse(content.contains(refreshToken));
    assertEquals("alice", new JsonObject(content).getString("subject"));
    assertEquals(RunningIssuer.SERVICE, new JsonObject(content).getString("service"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void removingTheUserFromTheHtpasswdFileEndsItsRefreshTokens() throws Exception {
    String refreshToken = offlineLogin("bob");
    List<String> remaining = Files.readAllLines(users).stream().filter(line -> !line.startsWith("bob:")).toList();
    Files.write(users, remaining);
    // The file is re-read when its modification time changes; make sure it does, whatever the clock resolution.
    Files.setLastModifiedTime(users, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertEquals(401, refresh(refreshToken, "repository:bob/app:pull").statusCode());
  }

  @Test
  void unsupportedGrantTypeIsABadRequest() throws Exception {
    for (String grant : new String[] {"authorization_code", "client_credentials", ""}) {
      HttpResponse<String> response = issuer.postForm("/token", "grant_type", grant, "service",
          RunningIssuer.SERVICE);
      assertEquals(400, response.statusCode(), grant);
      assertEquals("unsupported_grant_type", new JsonObject(response.body()).getString("error"));
    }
  }

  @Test
  void missingFieldsAndNonFormBodiesAreBadRequests() throws Exception {
    assertEquals("invalid_request", new JsonObject(issuer.postForm("/token", "grant_type", "password",
        "username", "alice").body()).getString("error"));
    HttpResponse<String> json = issuer.post("/token", "application/json",
        new JsonObject().put("grant_type", "password").encode());
    assertEquals(400, json.statusCode());
    assertEquals("invalid_request", new JsonObject(json.body()).getString("error"));
    assertEquals(400, issuer.postForm("/token", "grant_type", "refresh_token").statusCode());
  }

  @Test
  void anOversizedFormIsRefused() throws Exception {
    HttpResponse<String> response = issuer.post("/token", FORM, "scope=" + "a".repeat(64 * 1024));
    assertEquals(413, response.statusCode(), response.body());
    assertEquals("invalid_request", new JsonObject(response.body()).getString("error"));
  }
}
