package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.keys.SigningKeyLoader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two token issuers on one storage root, each on a Vert.x of its own as two processes would be, spoken to over HTTP:
 * they share refresh tokens and one signing key, even when they start together on an empty root.
 */
class SharedIssuersTest {
  @TempDir
  Path directory;
  private Path users;
  private final List<RunningIssuer> issuers = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (RunningIssuer issuer : issuers) {
      issuer.close();
    }
  }

  /** Two issuers, started together; ES256 unless {@code algorithm} says otherwise. */
  private List<RunningIssuer> startTwo(String algorithm) throws Exception {
    users = RunningIssuer.writeUsers(directory);
    issuers.addAll(RunningIssuer.startTogether(directory.resolve("storage"), RunningIssuer.standardSection(users)
        .put("signing", new JsonObject().put("algorithm", algorithm)), 2));
    return issuers;
  }

  private static JsonObject ok(HttpResponse<String> response) {
    assertEquals(200, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  private static String offlineLogin(RunningIssuer issuer, String user) throws Exception {
    String refreshToken = ok(issuer.postForm("/token", "grant_type", "password", "username", user,
        "password", RunningIssuer.PASSWORDS.get(user), "service", RunningIssuer.SERVICE, "client_id", "test",
        "access_type", "offline")).getString("refresh_token");
    assertNotNull(refreshToken);
    return refreshToken;
  }

  private static HttpResponse<String> refresh(RunningIssuer issuer, String refreshToken) throws Exception {
    return issuer.postForm("/token", "grant_type", "refresh_token", "refresh_token", refreshToken,
        "service", RunningIssuer.SERVICE, "client_id", "test", "scope", "repository:alice/app:pull");
  }

  @Test
  void aRefreshTokenIssuedByOneIssuerRefreshesOnTheOther() throws Exception {
    List<RunningIssuer> two = startTwo("ES256");
    String refreshToken = offlineLogin(two.get(0), "alice");

    JsonObject refreshed = ok(refresh(two.get(1), refreshToken));

    assertEquals("repository:alice/app:pull", refreshed.getString("scope"));
    assertEquals("alice", Jwt.parse(refreshed.getString("access_token")).claims().getString("sub"));
  }

  @Test
  void aRefreshTokenRevokedOnOneIssuerIsRefusedByTheOtherAtOnce() throws Exception {
    List<RunningIssuer> two = startTwo("ES256");
    String refreshToken = offlineLogin(two.get(0), "alice");
    ok(refresh(two.get(0), refreshToken));

    assertEquals(200, two.get(1).postForm("/revoke", "token", refreshToken).statusCode());

    assertEquals(401, refresh(two.get(0), refreshToken).statusCode());
    assertEquals(401, refresh(two.get(1), refreshToken).statusCode());
  }

  @Test
  void aUserRemovedFromTheUsersFileLosesTheirRefreshTokensOnBothIssuers() throws Exception {
    List<RunningIssuer> two = startTwo("ES256");
    String fromFirst = offlineLogin(two.get(0), "alice");
    String fromSecond = offlineLogin(two.get(1), "alice");
    ok(refresh(two.get(1), fromFirst));
    ok(refresh(two.get(0), fromSecond));

    Files.write(users, Files.readAllLines(users).stream().filter(line -> !line.startsWith("alice:")).toList());
    // The file is re-read when its modification time changes; make sure it does, whatever the clock resolution.
    Files.setLastModifiedTime(users, FileTime.fromMillis(System.currentTimeMillis() + 5000));

    for (RunningIssuer issuer : two) {
      assertEquals(401, refresh(issuer, fromFirst).statusCode());
      assertEquals(401, refresh(issuer, fromSecond).statusCode());
    }
  }

  @Test
  void issuersStartingTogetherOnAnEmptyRootCreateOneKeyThatSignsTheTokensOfBoth() throws Exception {
    // RS256: generating a key takes long enough that both starts find no key and generate one.
    List<RunningIssuer> two = startTwo("RS256");
    Path auth = two.get(0).dataDirectory();

    Jwt first = Jwt.parse(ok(two.get(0).get("/token")).getString("token"));
    Jwt second = Jwt.parse(ok(two.get(1).get("/token")).getString("token"));
    JsonObject keys = ok(two.get(0).get("/keys"));

    assertEquals(keys, ok(two.get(1).get("/keys")));
    JsonArray jwks = keys.getJsonArray("keys");
    assertEquals(1, jwks.size());
    assertEquals(jwks.getJsonObject(0).getString("kid"), first.header().getString("kid"));
    assertEquals(jwks.getJsonObject(0).getString("kid"), second.header().getString("kid"));
    assertEquals(first.header().getJsonArray("x5c"), second.header().getJsonArray("x5c"));
    PublicKey published = rsaKey(jwks.getJsonObject(0));
    assertTrue(first.verifiesWith(published));
    assertTrue(second.verifiesWith(published));
    assertEquals(TestCertificates.decodeX5c(first.header().getJsonArray("x5c")).get(0).getPublicKey(), published);
    try (Stream<Path> files = Files.list(auth)) {
      assertEquals(List.of(SigningKeyLoader.CERTIFICATE_FILE, SigningKeyLoader.KEY_FILE),
          files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".pem")
              || name.endsWith(".tmp")).sorted().toList());
    }
  }

  private static PublicKey rsaKey(JsonObject jwk) throws Exception {
    Base64.Decoder url = Base64.getUrlDecoder();
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
        new BigInteger(1, url.decode(jwk.getString("n"))), new BigInteger(1, url.decode(jwk.getString("e")))));
  }
}
