package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code http.timeouts}, {@code http.maxconnections*} and the same keys of the issuer under {@code authserver}. */
@ExtendWith(VertxExtension.class)
class ConnectionLimitsConfigTest {
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void withoutTheKeysBothServersHaveTheSafeDefaults() throws IOException {
    RegistryConfig config = fixture.load("version: 0.1\nauthserver:\n  issuer: berth\n", Map.of());
    ConnectionLimits defaults = new ConnectionLimits(Duration.ofMinutes(2), Duration.ofSeconds(30), 1024,
        Duration.ofSeconds(30), 0, 0);

    assertEquals(defaults, config.http().connections());
    assertEquals(defaults, config.authServer().connections());
  }

  @Test
  void theKeysSetEachServerOnItsOwnAndAreNotReportedAsIgnored() throws IOException {
    RegistryConfig config = fixture.load("""
        version: 0.1
        http:
          addr: :5000
          timeouts:
            idle: 5m
            readheader: 10s
            bodyminrate: 4096
            bodyratewindow: 1m
          maxconnections: 5000
          maxconnectionsperclient: 200
        authserver:
          timeouts:
            idle: 30s
            readheader: 0
          maxconnections: 100
        """, Map.of());

    assertEquals(new ConnectionLimits(Duration.ofMinutes(5), Duration.ofSeconds(10), 4096, Duration.ofMinutes(1),
        5000, 200), config.http().connections());
    assertEquals(new ConnectionLimits(Duration.ofSeconds(30), Duration.ZERO, 1024, Duration.ofSeconds(30), 100, 0),
        config.authServer().connections());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentVariablesSetTheKeysAsEveryOther() throws IOException {
    RegistryConfig config = fixture.load("version: 0.1\n", Map.of("REGISTRY_HTTP_TIMEOUTS_IDLE", "90s",
        "REGISTRY_HTTP_TIMEOUTS_BODYMINRATE", "0", "REGISTRY_HTTP_MAXCONNECTIONS", "50",
        "REGISTRY_HTTP_MAXCONNECTIONSPERCLIENT", "5"));

    assertEquals(new ConnectionLimits(Duration.ofSeconds(90), Duration.ofSeconds(30), 0, Duration.ofSeconds(30), 50,
        5), config.http().connections());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http.timeouts.idle                   | soon",
      "http.timeouts.readheader             | -1s",
      "http.timeouts.bodyratewindow         | 0s",
      "http.timeouts.bodyminrate            | 1KiB",
      "http.timeouts.idle                   | 1000h",
      "http.maxconnections                  | -5",
      "http.maxconnectionsperclient         | many",
      "http.timeouts                        | 30s"})
  void aBadValueFailsNamingItsKey(String key, String value) throws IOException {
    String variable = "REGISTRY_" + key.replace('.', '_').toUpperCase(Locale.ROOT);

    ConfigException error = fixture.refused("version: 0.1\n", Map.of(variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void theIssuersBadValueNamesItsOwnKey() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\nauthserver:\n  maxconnections: lots\n", Map.of());

    assertTrue(error.getMessage().startsWith("authserver.maxconnections: "), error.getMessage());
  }
}
