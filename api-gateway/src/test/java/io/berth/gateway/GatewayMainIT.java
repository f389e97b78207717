package io.berth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway alone: {@code GatewayMain config.yml} in its own JVM, with no service behind it. */
class GatewayMainIT {
  private static final Pattern LISTENING = Pattern.compile("Berth listening \\[addr: 127\\.0\\.0\\.1:(\\d+),");

  @TempDir
  Path directory;

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void mainServesHttpReportsTheMissingBlobServiceAndStopsWithStatusZeroOnSigterm() throws Exception {
    Path config = Files.writeString(directory.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "http:",
        "  addr: 127.0.0.1:0",
        "  draintimeout: 1s",
        ""));
    ChildProcess process = ChildProcess.java(GatewayMain.class, config.toString()).start();
    try {
      int port = process.awaitPort(LISTENING);
      process.awaitLine(line -> line.contains("started [services: gateway, event bus: local]"));

      HttpResponse<String> live = get(port, "/livez");
      HttpResponse<String> ready = get(port, "/readyz");

      assertEquals(200, live.statusCode(), live.body());
      assertEquals(503, ready.statusCode(), ready.body());
      assertTrue(new JsonObject(ready.body()).containsKey("blob_service"), ready.body());
      assertTrue(process.stop(), "GatewayMain stops on SIGTERM");
      assertEquals(0, process.awaitExit(), process.log());
      assertTrue(process.log().contains("shutting down: finishing in-flight requests"), process.log());
    } finally {
      process.close();
    }
  }
}
