package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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

/** {@code auth.throttle} (the registry's htpasswd logins) and {@code authserver.throttle} (the token issuer's). */
@ExtendWith(VertxExtension.class)
class LoginThrottleConfigTest {
  private static final String HTPASSWD = "version: 0.1\nauth:\n  htpasswd:\n    path: /auth/htpasswd\n";
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  private static LoginThrottleConfig registryThrottle(RegistryConfig config) {
    return assertInstanceOf(AuthConfig.Htpasswd.class, config.auth()).throttle();
  }

  @Test
  void withoutTheKeysTenFailuresPerAccountAndThirtyPerAddressAMinuteAreAllowed() throws IOException {
    RegistryConfig config = fixture.load(HTPASSWD + "authserver:\n  issuer: berth\n", Map.of());

    LoginThrottleConfig defaults = new LoginThrottleConfig(10, 30, Duration.ofMinutes(1));
    assertEquals(defaults, registryThrottle(config));
    assertEquals(defaults, config.authServer().throttle());
  }

  @Test
  void throttleBesideTheHtpasswdProviderIsReadAndIsNoSecondProvider() throws IOException {
    RegistryConfig config = fixture.load(HTPASSWD + """
          throttle:
            accountfailures: 5
            addressfailures: 0
            window: 30s
        authserver:
          throttle:
            accountfailures: 7
            addressfailures: 100
            window: 2m
        """, Map.of());

    assertEquals(new LoginThrottleConfig(5, 0, Duration.ofSeconds(30)), registryThrottle(config));
    assertEquals(new LoginThrottleConfig(7, 100, Duration.ofMinutes(2)), config.authServer().throttle());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentOverridesSetEachKey() throws IOException {
    RegistryConfig config = fixture.load(HTPASSWD + "authserver:\n  issuer: berth\n", Map.of(
        "REGISTRY_AUTH_THROTTLE_ACCOUNTFAILURES", "3",
        "REGISTRY_AUTH_THROTTLE_ADDRESSFAILURES", "12",
        "REGISTRY_AUTH_THROTTLE_WINDOW", "10s",
        "REGISTRY_AUTHSERVER_THROTTLE_ACCOUNTFAILURES", "4",
        "REGISTRY_AUTHSERVER_THROTTLE_WINDOW", "90"));

    assertEquals(new LoginThrottleConfig(3, 12, Duration.ofSeconds(10)), registryThrottle(config));
    assertEquals(new LoginThrottleConfig(4, 30, Duration.ofSeconds(90)), config.authServer().throttle());
  }

  @Test
  void withTokenAuthTheRegistryChecksNoPasswordsSoItsThrottleStopsStartupRatherThanSeemToProtect() throws IOException {
    ConfigException refusal = fixture.refused("""
        version: 0.1
        auth:
          token:
            realm: https://auth.example/token
            service: registry
            issuer: berth
            rootcertbundle: /certs/bundle.pem
          throttle:
            accountfailures: 5
        """, Map.of());

    assertTrue(refusal.getMessage().startsWith("auth.throttle.accountfailures: "), refusal.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "REGISTRY_AUTH_THROTTLE_ACCOUNTFAILURES | -1   | auth.throttle.accountfailures",
      "REGISTRY_AUTH_THROTTLE_ADDRESSFAILURES | many | auth.throttle.addressfailures",
      "REGISTRY_AUTH_THROTTLE_WINDOW          | 0s   | auth.throttle.window",
      "REGISTRY_AUTH_THROTTLE_WINDOW          | soon | auth.throttle.window",
      "REGISTRY_AUTHSERVER_THROTTLE_ACCOUNTFAILURES | 1.5 | authserver.throttle.accountfailures",
      "REGISTRY_AUTH_THROTTLE                 | on   | auth.throttle"})
  void badValuesStopStartupNamingTheKey(String variable, String value, String key) throws IOException {
    ConfigException error = fixture.refused(HTPASSWD + "authserver:\n  issuer: berth\n", Map.of(variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }
}
