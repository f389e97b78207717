package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.MalformedHashes;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines of the users file whose hash is no usable bcrypt never let anyone in and never fail a request, through the
 * Basic login of GET /token and the password grant of POST /token; the file's good lines still log in.
 */
class MalformedHtpasswdTest {
  @TempDir
  Path directory;
  private RunningIssuer issuer;

  @BeforeEach
  void start() throws Exception {
    Path users = RunningIssuer.writeUsers(directory);
    List<String> lines = new ArrayList<>(Files.readAllLines(users));
    MalformedHashes.BY_USER.forEach((user, hash) -> lines.add(user + ":" + hash));
    Files.write(users, lines);
    issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(users)
        .put("signing", new JsonObject().put("algorithm", "ES256")));
  }

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  @Test
  void malformedHashesNeverMatchAndNeverFailTheRequest() throws Exception {
    for (Map.Entry<String, String> entry : MalformedHashes.BY_USER.entrySet()) {
      HttpResponse<String> basic = issuer.get("/token?" + RunningIssuer.query("service", RunningIssuer.SERVICE),
          "Authorization", RunningIssuer.basic(entry.getKey(), entry.getValue()));
      HttpResponse<String> grant = issuer.postForm("/token", "grant_type", "password", "username", entry.getKey(),
          "password", "password", "service", RunningIssuer.SERVICE, "client_id", "test");

      assertEquals(401, basic.statusCode(), entry.getKey() + ": " + basic.body());
      assertEquals("invalid_grant", new JsonObject(basic.body()).getString("error"));
      assertEquals(401, grant.statusCode(), entry.getKey() + ": " + grant.body());
      assertEquals("invalid_grant", new JsonObject(grant.body()).getString("error"));
    }
    assertEquals(200, issuer.get("/token?" + RunningIssuer.query("service", RunningIssuer.SERVICE),
        "Authorization", RunningIssuer.basic("alice")).statusCode());
  }
}
