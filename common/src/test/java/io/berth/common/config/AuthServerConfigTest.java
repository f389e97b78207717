package io.berth.common.config;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The lifetimes of Berth's {@code authserver} section: access tokens ({@code expiration}), refresh tokens. */
@ExtendWith(VertxExtension.class)
class AuthServerConfigTest {
  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  private RegistryConfig load(String yaml, Map<String, String> environment) throws IOException {
    Path file = Files.writeString(dir.resolve("config.yml"), yaml);
    return result(ConfigLoader.load(vertx, file.toString(), environment));
  }

  @Test
  void refreshTokensLastThirtyDaysByDefault() throws IOException {
    AuthServerConfig authServer = load("authserver:\n  issuer: berth\n", Map.of()).authServer();

    assertEquals(Duration.ofHours(720), authServer.refreshExpiration());
    assertEquals(Duration.ofMinutes(5), authServer.expiration());
  }

  @Test
  void refreshExpirationIsReadFromTheFileAndNotReportedAsIgnored() throws IOException {
    RegistryConfig config = load("authserver:\n  refreshexpiration: 168h\n", Map.of());

    assertEquals(Duration.ofHours(168), config.authServer().refreshExpiration());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void anEnvironmentVariableSetsIt() throws IOException {
    AuthServerConfig authServer = load("authserver:\n  refreshexpiration: 168h\n",
        Map.of("REGISTRY_AUTHSERVER_REFRESHEXPIRATION", "90m")).authServer();

    assertEquals(Duration.ofMinutes(90), authServer.refreshExpiration());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "-1h", "forever", "0"})
  void aBadValueStopsStartupNamingTheKey(String value) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yml"), "authserver:\n  issuer: berth\n");

    ConfigException error = assertInstanceOf(ConfigException.class, failure(ConfigLoader.load(vertx, file.toString(),
        Map.of("REGISTRY_AUTHSERVER_REFRESHEXPIRATION", value))));

    assertTrue(error.getMessage().startsWith("authserver.refreshexpiration: "), error.getMessage());
  }
}
