package io.berth.notify;

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

/** The standalone service: {@code NotificationMain config.yml} in its own JVM, as an operator runs it. */
class NotificationMainTest {
  private static final Pattern LISTENING = Pattern.compile("notification status listening \\[addr: 127\\.0\\.0\\.1:(\\d+)]");

  @TempDir
  Path directory;

  private Process launch(Path config) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        NotificationMain.class.getName(), config.toString()).redirectErrorStream(true).start();
  }

  @Test
  void mainOpensTheQueuesOfTheConfiguredEndpointsAndServesTheirCounters() throws Exception {
    Path config = Files.writeString(directory.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + directory.resolve("storage"),
        "notifications:",
        "  endpoints:",
        "    - name: ci",
        "      url: http://127.0.0.1:9/hook",
        "      secret: main-test-secret",
        "    - name: off",
        "      url: http://127.0.0.1:9/off",
        "      disabled: true",
        "  status:",
        "    addr: 127.0.0.1:0",
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
      port.completeExceptionally(new AssertionError("NotificationMain ended before listening:\n"
          + String.join("\n", output)));
    }, "notification-main-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int bound = port.get(60, TimeUnit.SECONDS);
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + bound + "/notifications")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertEquals(200, response.statusCode(), response.body());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
      JsonObject status = new JsonObject(response.body());
      assertEquals(1, status.getJsonArray("endpoints").size());
      assertEquals("ci", status.getJsonArray("endpoints").getJsonObject(0).getString("name"));
      assertEquals(0, status.getJsonArray("endpoints").getJsonObject(0).getLong("pending"));
      assertTrue(Files.isDirectory(directory.resolve("storage/notifications/ci")));
      assertTrue(output.stream().noneMatch(line -> line.contains("main-test-secret")), String.join("\n", output));
    } finally {
      process.destroy();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "NotificationMain stops on SIGTERM");
    }
  }

  @Test
  void mainRefusesToStartWithoutAnEnabledEndpoint() throws Exception {
    Path config = Files.writeString(directory.resolve("config.yml"), "version: 0.1\n");
    Process process = launch(config);
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, process.exitValue(), output);
    assertTrue(output.contains("notifications.endpoints: no enabled endpoint"), output);
  }
}
