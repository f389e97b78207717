package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import io.berth.common.testing.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone token issuer: {@code AuthMain config.yml} in its own JVM, as an operator runs it. */
class AuthMainIT {
  private static final Pattern LISTENING = Pattern.compile("token issuer listening \\[addr: 127\\.0\\.0\\.1:(\\d+),");

  @TempDir
  Path directory;

  @Test
  void mainServesTokensFromTheAuthserverSectionOfTheConfigFile() throws Exception {
    Path users = RunningIssuer.writeUsers(directory);
    Path config = Files.writeString(directory.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + directory.resolve("storage"),
        "authserver:",
        "  addr: 127.0.0.1:0",
        "  issuer: main-test",
        "  service: main.registry",
        "  users: " + users,
        "  signing:",
        "    algorithm: ES256",
        "  acl:",
        "    - match: {account: \"/.+/\", name: \"${account}/*\"}",
        "      actions: [\"*\"]",
        ""));
    ChildProcess process = ChildProcess.java(AuthMain.class, config.toString()).start();
    try {
      int bound = process.awaitPort(LISTENING);
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + bound + "/token?service=main.registry&scope=repository:bob/x:push"))
          .header("Authorization", RunningIssuer.basic("bob")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      JsonObject claims = Jwt.parse(new JsonObject(response.body()).getString("token")).claims();
      assertEquals("main-test", claims.getString("iss"));
      assertEquals("main.registry", claims.getString("aud"));
      assertEquals("push", claims.getJsonArray("access").getJsonObject(0).getJsonArray("actions").getString(0));
      assertTrue(Files.isRegularFile(directory.resolve("storage/auth/cert.pem")));
    } finally {
      assertTrue(process.stop(), "AuthMain stops on SIGTERM");
      process.close();
    }
  }

  @Test
  void mainRefusesToStartWithoutAnAuthserverSection() throws Exception {
    Path config = Files.writeString(directory.resolve("config.yml"), "version: 0.1\n");
    try (ChildProcess process = ChildProcess.java(AuthMain.class, config.toString()).start()) {
      assertEquals(1, process.awaitExit(), process.log());
      String output = process.log();
      assertTrue(output.contains("authserver: section missing"), output);
    }
  }
}
