package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/** The gateway with {@code auth.htpasswd}: Basic credentials against a bcrypt file, through the real routes. */
class HtpasswdAuthTest {
  private static final String CHALLENGE = "Basic realm=\"berth \\\"test\\\" realm\"";

  @TempDir
  static Path directory;
  private static Path users;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    users = directory.resolve("htpasswd");
    writeUsers("alice", "wonderland", Instant.now().minusSeconds(60));
    gateway = RunningGateway.start(directory, "  htpasswd:\n    realm: 'berth \"test\" realm'\n    path: " + users + "\n");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void baseWithoutCredentialsAnswers401WithBasicChallengeAndNoDetail() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/"));

    assertEquals(401, response.statusCode());
    assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"));
    JsonObject error = response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals("UNAUTHORIZED", error.getString("code"));
    assertEquals("authentication required", error.getString("message"));
    assertNull(error.getValue("detail"));
  }

  @Test
  void wrongPasswordAnswers401WithBasicChallengeAndTheRequiredAccess() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/app/one/tags/list")
        .putHeader("Authorization", basic("alice", "looking-glass")));

    assertEquals(401, response.statusCode());
    assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"));
    JsonObject error = response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals("UNAUTHORIZED", error.getString("code"));
    assertEquals(new JsonArray().add(new JsonObject().put("Type", "repository").put("Class", "")
        .put("Name", "app/one").put("Action", "pull")), error.getJsonArray("detail"));
  }

  @Test
  void unknownUserAnswers401() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", basic("mallory", "wonderland")));

    assertEquals(401, response.statusCode());
    assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"));
  }

  @Test
  void malformedBasicHeaderAndBearerTokenAnswer401WithBasicChallenge() throws Exception {
    for (String authorization : new String[] {"Basic not*base64", "Basic " + b64("no-colon"), "Bearer a.b.c"}) {
      HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.GET, "/v2/")
          .putHeader("Authorization", authorization));

      assertEquals(401, response.statusCode(), authorization);
      assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"), authorization);
    }
  }

  @Test
  void headWithoutCredentialsAnswers401WithChallengeAndNoBody() throws Exception {
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.HEAD, "/v2/app/one/manifests/latest"));

    assertEquals(401, response.statusCode());
    assertEquals(CHALLENGE, response.getHeader("WWW-Authenticate"));
    assertNull(response.body());
  }

  @Test
  void rightCredentialsAnswer200() throws Exception {
    HttpResponse<Buffer> base = gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", basic("alice", "wonderland")));
    HttpResponse<Buffer> tags = gateway.send(gateway.request(HttpMethod.GET, "/v2/app/one/tags/list")
        .putHeader("Authorization", basic("alice", "wonderland")));

    assertEquals(200, base.statusCode());
    assertEquals("{}", base.bodyAsString());
    assertNull(base.getHeader("WWW-Authenticate"));
    assertEquals(200, tags.statusCode());
    assertEquals(new JsonObject().put("name", "app/one").put("tags", new JsonArray().add("latest")),
        tags.bodyAsJsonObject());
  }

  @Test
  void anyAuthenticatedUserMayListTheCatalogPushAndDelete() throws Exception {
    String alice = basic("alice", "wonderland");
    assertEquals(200, gateway.send(gateway.request(HttpMethod.GET, "/v2/_catalog")
        .putHeader("Authorization", alice)).statusCode());
    assertEquals(202, gateway.send(gateway.request(HttpMethod.POST, "/v2/app/one/blobs/uploads/")
        .putHeader("Authorization", alice)).statusCode());
    assertEquals(202, gateway.send(gateway.request(HttpMethod.DELETE, "/v2/app/one/manifests/"
        + StubServices.digest('b')).putHeader("Authorization", alice)).statusCode());
  }

  @Test
  void uploadBodyArrivesWholeAfterTheBcryptCheck() throws Exception {
    byte[] chunk = new byte[300 * 1024];
    HttpResponse<Buffer> response = gateway.send(gateway.request(HttpMethod.PATCH,
            "/v2/app/one/blobs/uploads/" + StubServices.SESSION)
        .putHeader("Authorization", basic("alice", "wonderland"))
        .putHeader("Content-Type", "application/octet-stream"), Buffer.buffer(chunk));

    assertEquals(202, response.statusCode());
    assertEquals("0-" + (chunk.length - 1), response.getHeader("Range"));
  }

  @Test
  void editedFileTakesEffectWithoutRestart() throws Exception {
    String user = "bob";
    writeUsers(user, "first", Instant.now().minusSeconds(30));
    assertEquals(200, gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", basic(user, "first"))).statusCode());

    writeUsers(user, "second", Instant.now());

    assertEquals(401, gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", basic(user, "first"))).statusCode());
    assertEquals(200, gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", basic(user, "second"))).statusCode());
    assertEquals(200, gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", basic("alice", "wonderland"))).statusCode());
  }

  /** alice keeps her password; {@code user} gets {@code password}; the modification time is set explicitly. */
  private static synchronized void writeUsers(String user, String password, Instant modified) throws Exception {
    String alice = "alice:" + BCrypt.hashpw("wonderland", BCrypt.gensalt(4)).replaceFirst("^\\$2a\\$", "\\$2y\\$");
    String entry = user.equals("alice") ? "" : user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(4)) + "\n";
    Files.writeString(users, alice + "\n" + entry);
    Files.setLastModifiedTime(users, FileTime.from(modified));
  }

  static String basic(String user, String password) {
    return "Basic " + b64(user + ":" + password);
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
