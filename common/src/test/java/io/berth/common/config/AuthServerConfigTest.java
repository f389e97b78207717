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
import org.junit.jupiter.params.provider.ValueSource;

/** The lifetimes of Berth's {@code authserver} section: access tokens ({@code expiration}), refresh tokens. */
@ExtendWith(VertxExtension.class)
class AuthServerConfigTest {
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void refreshTokensLastThirtyDaysByDefault() throws IOException {
    AuthServerConfig authServer = fixture.load("authserver:\n  issuer: berth\n", Map.of()).authServer();

    assertEquals(Duration.ofHours(720), authServer.refreshExpiration());
    assertEquals(Duration.ofMinutes(5), authServer.expiration());
  }

  @Test
  void refreshExpirationIsReadFromTheFileAndNotReportedAsIgnored() throws IOException {
    RegistryConfig config = fixture.load("authserver:\n  refreshexpiration: 168h\n", Map.of());

    assertEquals(Duration.ofHours(168), config.authServer().refreshExpiration());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void anEnvironmentVariableSetsIt() throws IOException {
    AuthServerConfig authServer = fixture.load("authserver:\n  refreshexpiration: 168h\n",
        Map.of("REGISTRY_AUTHSERVER_REFRESHEXPIRATION", "90m")).authServer();

    assertEquals(Duration.ofMinutes(90), authServer.refreshExpiration());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-1h", "forever", "0"})
  void aBadValueStopsStartupNamingTheKey(String value) throws IOException {
    ConfigException error = fixture.refused("authserver:\n  issuer: berth\n",
        Map.of("REGISTRY_AUTHSERVER_REFRESHEXPIRATION", value));

    assertTrue(error.getMessage().startsWith("authserver.refreshexpiration: "), error.getMessage());
  }
}
