package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.URI;
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

/** distribution's {@code health.file}, {@code health.http} and {@code health.tcp} lists, through the real loader. */
@ExtendWith(VertxExtension.class)
class HealthConfigTest {
  /** distribution's documented example (docs/content/about/configuration.md, "health"). */
  private static final String DOCUMENTED = """
      version: 0.1
      health:
        storagedriver:
          enabled: true
          interval: 10s
          threshold: 3
        file:
          - file: /path/to/checked/file
            interval: 10s
        http:
          - uri: http://server.to.check/must/return/200
            headers:
              Authorization: [Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==]
            statuscode: 200
            timeout: 3s
            interval: 10s
            threshold: 3
        tcp:
          - addr: redis-server.domain.com:6379
            timeout: 3s
            interval: 10s
            threshold: 3
      """;

  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void distributionsDocumentedExampleIsReadWhole() throws IOException {
    RegistryConfig config = fixture.load(DOCUMENTED, Map.of());

    HealthConfig health = config.health();
    assertEquals(List.of(new HealthConfig.FileCheck(Path.of("/path/to/checked/file"), Duration.ofSeconds(10))),
        health.files());
    assertEquals(List.of(new HealthConfig.HttpCheck(URI.create("http://server.to.check/must/return/200"),
        Map.of("Authorization", List.of("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")), 200, Duration.ofSeconds(3),
        Duration.ofSeconds(10), 3)), health.http());
    assertEquals(List.of(new HealthConfig.TcpCheck("redis-server.domain.com:6379", "redis-server.domain.com", 6379,
        Duration.ofSeconds(3), Duration.ofSeconds(10), 3)), health.tcp());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void omittedValuesTakeDistributionsDefaults() throws IOException {
    RegistryConfig config = fixture.load("""
        health:
          file:
            - file: /srv/drain
          http:
            - uri: https://upstream.example/ping
          tcp:
            - addr: 127.0.0.1:6379
        """, Map.of());

    assertEquals(new HealthConfig.FileCheck(Path.of("/srv/drain"), Duration.ofSeconds(10)),
        config.health().files().get(0));
    assertEquals(new HealthConfig.HttpCheck(URI.create("https://upstream.example/ping"), Map.of(), 200,
        Duration.ZERO, Duration.ofSeconds(10), 0), config.health().http().get(0));
    assertEquals(new HealthConfig.TcpCheck("127.0.0.1:6379", "127.0.0.1", 6379, Duration.ZERO,
        Duration.ofSeconds(10), 0), config.health().tcp().get(0));
  }

  @Test
  void environmentVariablesAddChecksByIndexAsInDistribution() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of(
        "REGISTRY_HEALTH_FILE_0_FILE", "/srv/drain",
        "REGISTRY_HEALTH_FILE_0_INTERVAL", "1s",
        "REGISTRY_HEALTH_HTTP_0_URI", "http://127.0.0.1:8080/ping",
        "REGISTRY_HEALTH_HTTP_0_STATUSCODE", "204",
        "REGISTRY_HEALTH_TCP_0_ADDR", "localhost:6379"));

    assertEquals(Path.of("/srv/drain"), config.health().files().get(0).file());
    assertEquals(Duration.ofSeconds(1), config.health().files().get(0).interval());
    assertEquals(204, config.health().http().get(0).statusCode());
    assertEquals("localhost", config.health().tcp().get(0).host());
  }

  @Test
  void aFileChecksThresholdIsReportedAsNotActedOnBecauseDistributionIgnoresItToo() throws IOException {
    RegistryConfig config = fixture.load("health:\n  file:\n    - file: /srv/drain\n      threshold: 3\n", Map.of());

    assertEquals(List.of("health.file[0].threshold"), config.ignored());
  }

  /** {@code required} is the variable a valid check of that kind needs (the one under test replaces it). */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "health.file             | REGISTRY_HEALTH_FILE            | /srv/drain         | REGISTRY_HEALTH_TCP_0_ADDR",
      "health.file[0].file     | REGISTRY_HEALTH_FILE_0_INTERVAL | 10s                | REGISTRY_HEALTH_TCP_0_ADDR",
      "health.file[0].interval | REGISTRY_HEALTH_FILE_0_INTERVAL | soon               | REGISTRY_HEALTH_FILE_0_FILE",
      "health.http[0].uri      | REGISTRY_HEALTH_HTTP_0_URI      | ftp://example.com/ | REGISTRY_HEALTH_TCP_0_ADDR",
      "health.http[0].uri      | REGISTRY_HEALTH_HTTP_0_TIMEOUT  | 1s                 | REGISTRY_HEALTH_TCP_0_ADDR",
      "health.http[0].timeout  | REGISTRY_HEALTH_HTTP_0_TIMEOUT  | -1s                | REGISTRY_HEALTH_HTTP_0_URI",
      "health.tcp[0].addr      | REGISTRY_HEALTH_TCP_0_ADDR      | redis              | REGISTRY_HEALTH_HTTP_0_URI",
      "health.tcp[0].threshold | REGISTRY_HEALTH_TCP_0_THRESHOLD | many               | REGISTRY_HEALTH_TCP_0_ADDR"})
  void aBadValueFailsWithAMessageStartingWithItsKey(String key, String variable, String value, String required)
      throws IOException {
    Map<String, String> valid = Map.of(
        "REGISTRY_HEALTH_FILE_0_FILE", "/srv/drain",
        "REGISTRY_HEALTH_HTTP_0_URI", "http://127.0.0.1:8080/ping",
        "REGISTRY_HEALTH_TCP_0_ADDR", "127.0.0.1:6379");
    ConfigException error = fixture.refused(null, Map.of(required, valid.get(required), variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void anHttpCheckExpectingNoStatusCodeFailsNamingTheKey() throws IOException {
    ConfigException error = fixture.refused(null, Map.of("REGISTRY_HEALTH_HTTP_0_URI", "http://127.0.0.1/",
        "REGISTRY_HEALTH_HTTP_0_STATUSCODE", "42"));

    assertEquals("health.http[0].statuscode: expected an HTTP status code, got 42", error.getMessage());
  }
}
