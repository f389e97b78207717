package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.berth.common.testing.FreePorts;
import io.berth.launcher.ops.Exposition;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher with {@code http.debug} on: the shaded jar serves the probes and a Prometheus scrape. */
class DebugServerProcessIT {
  @TempDir
  Path temp;

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void thePackagedRegistryServesProbesHealthAndMetricsOnItsDebugAddress() throws Exception {
    int debugPort = FreePorts.onLoopback();
    try (BerthProcess berth = BerthProcess.launch(temp, Map.of(
        "REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:" + debugPort,
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true")).awaitListening()) {
      berth.process().awaitLine(line -> line.contains("debug server listening [addr: 127.0.0.1:" + debugPort
          + ", metrics: /metrics]"), Duration.ofSeconds(30));
      RegistryHttp registry = new RegistryHttp(berth.hostPort());
      RegistryHttp debug = new RegistryHttp("127.0.0.1:" + debugPort);

      assertEquals(200, registry.get("/livez").statusCode());
      assertEquals(200, registry.get("/readyz").statusCode());
      HttpResponse<byte[]> health = debug.get("/debug/health");
      assertEquals(200, health.statusCode());
      assertEquals("{}", body(health));
      HttpResponse<byte[]> metrics = debug.get("/metrics");
      assertEquals(200, metrics.statusCode());
      Exposition scrape = Exposition.parse(body(metrics));

      assertEquals(0, scrape.sum("berth_upload_sessions_active", Map.of()));
      assertEquals("counter", scrape.type("berth_upload_sessions_started_total"));
      assertNotNull(scrape.type("vertx_http_server_active_connections"), "Vert.x meters in the shaded jar");
      assertNotNull(scrape.type("jvm_memory_used_bytes"), "JVM meters in the shaded jar");
    }
  }
}
