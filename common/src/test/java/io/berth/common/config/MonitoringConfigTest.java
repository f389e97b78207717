package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** distribution's {@code http.debug} and {@code health} keys, through the real loader. */
@ExtendWith(VertxExtension.class)
class MonitoringConfigTest {
  private static final String MONITORED = """
      version: 0.1
      http:
        addr: :5000
        debug:
          addr: 127.0.0.1:5002
          prometheus:
            enabled: true
            path: /prometheus
      health:
        storagedriver:
          enabled: true
          interval: 30s
          threshold: 5
      """;

  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void withoutKeysTheDebugServerIsOffAndTheStorageCheckRunsAsInTheRegistryImage() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of());

    assertEquals(DebugConfig.disabled(), config.debug());
    assertEquals(new HealthConfig(new HealthConfig.StorageDriverCheck(true, Duration.ofSeconds(10), 3)),
        config.health());
  }

  @Test
  void everyKeyOfTheFileIsRead() throws IOException {
    RegistryConfig config = fixture.load(MONITORED, Map.of());

    assertEquals(new DebugConfig(true, "127.0.0.1", 5002, true, "/prometheus"), config.debug());
    assertEquals(new HealthConfig(new HealthConfig.StorageDriverCheck(true, Duration.ofSeconds(30), 5)),
        config.health());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentVariablesSetTheKeysAsInDistribution() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of(
        "REGISTRY_HTTP_DEBUG_ADDR", ":5001",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true",
        "REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "false",
        "REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "250ms",
        "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "0"));

    assertEquals(new DebugConfig(true, "0.0.0.0", 5001, true, "/metrics"), config.debug());
    assertEquals(new HealthConfig(new HealthConfig.StorageDriverCheck(false, Duration.ofMillis(250), 0)),
        config.health());
  }

  @Test
  void storageUsageKeysSetTheWalksIntervalAndHowManyRepositoriesAreExported() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of(
        "REGISTRY_HTTP_DEBUG_ADDR", ":5001",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_INTERVAL", "30s",
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_REPOSITORIES", "10"));

    assertEquals(new DebugConfig.StorageUsage(Duration.ofSeconds(30), 10), config.debug().storageUsage());
    assertEquals(List.of(), config.ignored());
    assertEquals(new DebugConfig.StorageUsage(Duration.ofMinutes(5), 100),
        fixture.load(null, Map.of("REGISTRY_HTTP_DEBUG_ADDR", ":5001")).debug().storageUsage(), "the defaults");
  }

  @Test
  void aZeroIntervalMeansTheDefaultAsInDistribution() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "0"));

    assertEquals(Duration.ofSeconds(10), config.health().storageDriver().interval());
  }

  @Test
  void aDebugServerWithoutPrometheusServesNoMetrics() throws IOException {
    RegistryConfig config = fixture.load(MONITORED.replace("enabled: true\n      path", "enabled: false\n      path"),
        Map.of());

    assertEquals(new DebugConfig(true, "127.0.0.1", 5002, false, "/prometheus"), config.debug());
  }

  @Test
  void theDebugServerMayShareTheTokenIssuersDefaultPortOnlyWhenTheIssuerIsOff() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of("REGISTRY_HTTP_DEBUG_ADDR", ":5001"));
    assertEquals(5001, config.debug().port());

    ConfigException error = fixture.refused("authserver:\n  issuer: berth\n",
        Map.of("REGISTRY_HTTP_DEBUG_ADDR", ":5001"));

    assertTrue(error.getMessage().startsWith("http.debug.addr: port 5001 is already taken by authserver.addr"),
        error.getMessage());
  }

  @Test
  void portZeroNeverClashes() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:0",
        "REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0"));

    assertEquals(0, config.debug().port());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http.debug.addr                  | REGISTRY_HTTP_DEBUG_ADDR                  | localhost",
      "http.debug.addr                  | REGISTRY_HTTP_DEBUG_ADDR                  | :5000",
      "http.debug.prometheus.enabled    | REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED    | yes",
      "http.debug.prometheus.path       | REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH       | metrics",
      "http.debug.prometheus.path       | REGISTRY_HTTP_DEBUG_PROMETHEUS_PATH       | /debug/health",
      "health.storagedriver.enabled     | REGISTRY_HEALTH_STORAGEDRIVER_ENABLED     | sometimes",
      "health.storagedriver.interval    | REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL    | often",
      "health.storagedriver.threshold   | REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD   | -1",
      "health.storagedriver.threshold   | REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD   | three",
      "health.storagedriver             | REGISTRY_HEALTH_STORAGEDRIVER             | on",
      "http.debug                       | REGISTRY_HTTP_DEBUG                       | :5001",
      "http.debug.prometheus.storageusage.interval | REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_INTERVAL | 0s",
      "http.debug.prometheus.storageusage.interval | REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_INTERVAL | often",
      "http.debug.prometheus.storageusage.repositories | REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_REPOSITORIES | -1",
      "http.debug.prometheus.storageusage | REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE | on"})
  void aBadValueFailsWithAMessageStartingWithItsKey(String key, String variable, String value) throws IOException {
    ConfigException error = fixture.refused(null, Map.of(variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void prometheusWithoutADebugServerFailsNamingTheKey() throws IOException {
    ConfigException error = fixture.refused(null, Map.of("REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true"));

    assertEquals("http.debug.prometheus.enabled: metrics are served by the debug server: set http.debug.addr too",
        error.getMessage());
  }
}
