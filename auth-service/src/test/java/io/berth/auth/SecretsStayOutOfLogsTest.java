package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.auth.keys.SigningKeyLoader;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No password, Authorization header, access token, refresh token or private key reaches a log line. */
class SecretsStayOutOfLogsTest {
  @TempDir
  Path directory;

  @Test
  void noSecretUsedInAFullRoundOfRequestsAppearsInAnyLogEvent() throws Exception {
    List<String> secrets = new ArrayList<>(RunningIssuer.PASSWORDS.values());
    String wrongPassword = "wrong-Pa55-for-the-log-test";
    String bogusRefreshToken = "bogus-refresh-token-for-the-log-test";
    secrets.add(wrongPassword);
    secrets.add(bogusRefreshToken);
    List<String> logged;
    try (LogCapture capture = new LogCapture();
         RunningIssuer issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(
             RunningIssuer.writeUsers(directory)).put("signing", new JsonObject().put("algorithm", "ES256")))) {
      secrets.add(Files.readString(issuer.dataDirectory().resolve(SigningKeyLoader.KEY_FILE))
          .split("\n")[1]);
      String basic = RunningIssuer.basic("alice");
      secrets.add(basic.substring("Basic ".length()));
      JsonObject login = json(issuer.get("/token?offline_token=true&scope=repository:alice/app:pull",
          "Authorization", basic), 200);
      String refreshToken = login.getString("refresh_token");
      secrets.add(refreshToken);
      addToken(secrets, login.getString("token"));

      String wrongBasic = RunningIssuer.basic("alice", wrongPassword);
      secrets.add(wrongBasic.substring("Basic ".length()));
      json(issuer.get("/token?scope=repository:alice/app:pull", "Authorization", wrongBasic), 401);
      json(issuer.get("/token", "Authorization", "Basic " + bogusRefreshToken), 401);
      json(issuer.get("/token", "Authorization", "Bearer " + bogusRefreshToken), 401);

      addToken(secrets, json(issuer.postForm("/token", "grant_type", "password", "username", "bob",
          "password", RunningIssuer.PASSWORDS.get("bob"), "scope", "repository:bob/app:push"), 200)
          .getString("access_token"));
      json(issuer.postForm("/token", "grant_type", "password", "username", "bob", "password", wrongPassword), 401);
      addToken(secrets, json(issuer.postForm("/token", "grant_type", "refresh_token", "refresh_token",
          refreshToken, "scope", "repository:alice/app:push"), 200).getString("access_token"));
      json(issuer.postForm("/token", "grant_type", "refresh_token", "refresh_token", bogusRefreshToken), 401);
      assertEquals(200, issuer.postForm("/revoke", "token", refreshToken).statusCode());
      assertEquals(200, issuer.postForm("/revoke", "token", bogusRefreshToken).statusCode());
      json(issuer.postForm("/token", "grant_type", "refresh_token", "refresh_token", refreshToken), 401);
      logged = capture.rendered();
    }
    assertTrue(logged.stream().anyMatch(line -> line.contains("login refused")), "the capture sees our logs");
    assertTrue(logged.stream().anyMatch(line -> line.contains("token issued")), "debug lines are captured too");
    for (String secret : secrets) {
      for (String line : logged) {
        assertFalse(line.contains(secret), "a secret reached the log: " + line);
      }
    }
  }

  private static JsonObject json(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return new JsonObject(response.body());
  }

  /** The whole token and its signature alone, which any partial logging of it would contain. */
  private static void addToken(List<String> secrets, String token) {
    secrets.add(token);
    secrets.add(token.substring(token.lastIndexOf('.') + 1));
  }
}
