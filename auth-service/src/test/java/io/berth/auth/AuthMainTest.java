package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone token issuer: {@code AuthMain config.yml} in its own JVM, as an operator runs it. */
class AuthMainTest {
  private static final Pattern LISTENING = Pattern.compile("token issuer listening \\[addr: 127\\.0\\.0\\.1:(\\d+),");

  @TempDir
  Path directory;

  private Process launch(Path config) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        AuthMain.class.getName(), config.toString()).redirectErrorStream(true).start();
  }

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
    Process process = launch(config);
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      process.inputReader(StandardCharsets.UTF_8).lines().forEach(line -> {
        output.add(line);
        Matcher matcher = LISTENING.matcher(line);
        if (matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(1)));
        }
      });
      port.completeExceptionally(new AssertionError("AuthMain ended before listening:\n" + String.join("\n", output)));
    }, "auth-main-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int bound = port.get(60, TimeUnit.SECONDS);
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
      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "AuthMain stops on SIGTERM");
    }
  }

  @Test
  void mainRefusesToStartWithoutAnAuthserverSection() throws Exception {
    Path config = Files.writeString(directory.resolve("config.yml"), "version: 0.1\n");
    Process process = launch(config);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, process.exitValue(), output);
    assertTrue(output.contains("authserver: section missing"), output);
  }
}
