package io.berth.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.berth.common.testing.ChildProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone service: {@code NotificationMain config.yml} in its own JVM, as an operator runs it. */
class NotificationMainIT {
  private static final Pattern LISTENING = Pattern.compile("notification status listening \\[addr: 127\\.0\\.0\\.1:(\\d+)]");

  @TempDir
  Path directory;

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
    ChildProcess process = ChildProcess.java(NotificationMain.class, config.toString()).start();
    try {
      int bound = process.awaitPort(LISTENING);
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + bound + "/notifications")).timeout(Duration.ofSeconds(20)).build(),
          HttpResponse.BodyHandlers.ofString());

      assertEquals(200, response.statusCode(), response.body());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
      JsonObject status = new JsonObject(response.body());
      assertEquals(1, status.getJsonArray("endpoints").size());
      assertEquals("ci", status.getJsonArray("endpoints").getJsonObject(0).getString("name"));
      assertEquals(0, status.getJsonArray("endpoints").getJsonObject(0).getLong("pending"));
      // The queue lives in this process's instance directory: storage/notifications/<instance id>/ci.
      try (Stream<Path> instances = Files.list(directory.resolve("storage/notifications"))) {
        assertEquals(List.of("ci"), instances.map(instance -> instance.resolve("ci")).filter(Files::isDirectory)
            .map(queue -> queue.getFileName().toString()).toList());
      }
      assertFalse(process.log().contains("main-test-secret"), process.log());
    } finally {
      assertTrue(process.stop(), "NotificationMain stops on SIGTERM");
      process.close();
    }
  }

  @Test
  void mainRefusesToStartWithoutAnEnabledEndpoint() throws Exception {
    Path config = Files.writeString(directory.resolve("config.yml"), "version: 0.1\n");
    try (ChildProcess process = ChildProcess.java(NotificationMain.class, config.toString()).start()) {
      assertEquals(1, process.awaitExit(), process.log());
      String output = process.log();
      assertTrue(output.contains("notifications.endpoints: no enabled endpoint"), output);
    }
  }
}
