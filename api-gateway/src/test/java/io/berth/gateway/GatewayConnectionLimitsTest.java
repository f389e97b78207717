package io.berth.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Await;
import io.berth.common.testing.LogLines;
import io.berth.common.testing.RawClient;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's HTTP server against hostile clients: a request head sent a byte at a time, a connection that sends
 * nothing, and more connections than {@code http.maxconnections}, counted over all gateway instances of the process.
 */
class GatewayConnectionLimitsTest {
  private static final String LIVEZ = "GET /livez HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @TempDir
  Path directory;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private int start(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("REGISTRY_HTTP_ADDR", "127.0.0.1:0");
    env.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", directory.toString());
    env.put("REGISTRY_HTTP_DRAINTIMEOUT", "1s");
    RegistryConfig config = Await.result(ConfigLoader.load(vertx, null, env));
    return Await.result(GatewayService.deploy(vertx, config, Metrics.disabled())).port();
  }

  @Test
  void aRequestHeadSentOneBytePerSecondIsClosedWithinTheHeaderTimeout() {
    int port = start(Map.of("REGISTRY_HTTP_TIMEOUTS_READHEADER", "1s"));
    try (RawClient slowloris = RawClient.connect(port)) {
      Duration closedAfter = slowloris.trickle("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
          + "a".repeat(100), Duration.ofSeconds(1), Duration.ofSeconds(10));

      assertNotNull(closedAfter, "the server never closed a connection whose head never completed");
      assertTrue(closedAfter.compareTo(Duration.ofMillis(3_000)) < 0, "closed only after " + closedAfter);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() {
    int port = start(Map.of("REGISTRY_HTTP_TIMEOUTS_IDLE", "1s", "REGISTRY_HTTP_TIMEOUTS_READHEADER", "0"));
    try (RawClient idle = RawClient.connect(port)) {
      assertTrue(idle.closedByServerWithin(Duration.ofSeconds(5)), "an idle connection stayed open");
      assertTrue(idle.sinceOpened().compareTo(Duration.ofMillis(900)) > 0, "closed before the idle timeout");
    }
  }

  @Test
  void connectionsBeyondTheCapOfAllGatewayInstancesAreClosedAtOnceWithOneWarning() {
    int port = start(Map.of("REGISTRY_HTTP_MAXCONNECTIONS", "50", "REGISTRY_CLUSTER_INSTANCES_GATEWAY", "2"));
    List<RawClient> admitted = new ArrayList<>();
    try (LogLines warnings = new LogLines("io.berth.common.http.ConnectionCap", Level.WARN)) {
      for (int i = 0; i < 50; i++) {
        RawClient client = RawClient.connect(port);
        admitted.add(client);
        client.write(LIVEZ);
        assertTrue(client.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), "connection " + i + " served");
      }
      for (int i = 0; i < 5; i++) {
        try (RawClient refused = RawClient.connect(port)) {
          assertTrue(refused.closedByServerWithin(Duration.ofSeconds(2)), "connection 51 was not closed");
        }
      }
      RawClient first = admitted.get(0);
      first.write(LIVEZ);
      assertTrue(first.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), "an admitted connection still works");
      List<String> lines = warnings.lines();
      assertEquals(1, lines.size(), lines::toString);
      assertTrue(lines.get(0).contains("http.maxconnections") && lines.get(0).contains("50"), lines.get(0));

      admitted.remove(0).close();
      assertTrue(servedOnANewConnection(port, Duration.ofSeconds(5)), "no connection accepted after one closed");
    } finally {
      admitted.forEach(RawClient::close);
    }
  }

  /** Whether a fresh connection gets an answer before {@code wait} passes: a closed slot frees asynchronously. */
  private static boolean servedOnANewConnection(int port, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      try (RawClient client = RawClient.connect(port)) {
        client.write(LIVEZ);
        if (client.readResponse(Duration.ofSeconds(2)).startsWith("HTTP/1.1 200")) {
          return true;
        }
      }
    }
    return false;
  }

  @Test
  void withTheDefaultsAKeptAliveConnectionStaysOpenAfterItsResponse() {
    int port = start(Map.of());
    try (RawClient client = RawClient.connect(port)) {
      client.write(LIVEZ);
      assertTrue(client.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"));
      assertFalse(client.closedByServerWithin(Duration.ofMillis(200)), "a keep-alive connection closed at once");
    }
  }
}
