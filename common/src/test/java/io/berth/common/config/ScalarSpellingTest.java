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

/**
 * A key distribution reads as a string gets the scalar's text exactly as written, from the file and from a
 * {@code REGISTRY_*} variable, however much it looks like a number, a boolean or a date (a shared secret, a token
 * service, a header value made of digits); keys that are numbers, booleans or durations read as before.
 */
@ExtendWith(VertxExtension.class)
class ScalarSpellingTest {
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0042", "1e3", "0x1F", "1_000", "1.50", "0.1", "-3", "yes", "True", "1:30", "2001-12-14",
      "123456789012345678901234567890"})
  void aStringKeyInTheFileKeepsThePlainScalarAsWritten(String written) throws IOException {
    RegistryConfig config = fixture.load("""
        version: 0.1
        auth:
          token:
            realm: W
            service: W
            issuer: W
            rootcertbundle: /certs/bundle.pem
        notifications:
          endpoints:
            - name: W
              url: https://hooks.example/events
              secret: W
              headers:
                X-Build: W
                X-Builds: [W, W]
        """.replace("W", written), Map.of());

    assertWrittenEverywhere(written, config);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0042", "1e3", "0x1F", "1_000", "1.50", "0.1", "-3", "5000", "TRUE", "yes", "1:30"})
  void aStringKeyFromTheEnvironmentKeepsTheVariableAsWritten(String written) throws IOException {
    RegistryConfig config = fixture.load(null, Map.of(
        "REGISTRY_AUTH_TOKEN_REALM", written,
        "REGISTRY_AUTH_TOKEN_SERVICE", written,
        "REGISTRY_AUTH_TOKEN_ISSUER", written,
        "REGISTRY_AUTH_TOKEN_ROOTCERTBUNDLE", "/certs/bundle.pem",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", written,
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://hooks.example/events",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_SECRET", written,
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_HEADERS_X-Build", written,
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_HEADERS_X-Builds", "[" + written + ", " + written + "]"));

    assertWrittenEverywhere(written, config);
  }

  private static void assertWrittenEverywhere(String written, RegistryConfig config) {
    AuthConfig.Token token = (AuthConfig.Token) config.auth();
    assertEquals(List.of(written, written, written), List.of(token.realm(), token.service(), token.issuer()));
    NotificationsConfig.Endpoint endpoint = config.notifications().endpoints().get(0);
    assertEquals(written, endpoint.name());
    assertEquals(written, endpoint.secret());
    assertEquals(List.of(written), endpoint.headers().get("X-Build"));
    assertEquals(List.of(written, written), endpoint.headers().get("X-Builds"));
  }

  @Test
  void aQuotedScalarAndATaggedOneAreTheirTextAsBefore() throws IOException {
    RegistryConfig config = fixture.load("""
        auth:
          token:
            realm: "0042"
            service: '1e3'
            issuer: !!str 0x1F
            rootcertbundle: /certs/bundle.pem
        """, Map.of());

    AuthConfig.Token token = (AuthConfig.Token) config.auth();
    assertEquals(List.of("0042", "1e3", "0x1F"), List.of(token.realm(), token.service(), token.issuer()));
  }

  @Test
  void durationsWholeNumbersAndBooleansInTheFileReadAsBefore() throws IOException {
    RegistryConfig config = fixture.load("""
        storage:
          filesystem:
            rootdirectory: /srv/registry
            maxthreads: 0x20
          delete:
            enabled: yes
        http:
          draintimeout: 10
          relativeurls: True
        notifications:
          endpoints:
            - name: hook
              url: https://hooks.example/events
              threshold: 0x1F
              timeout: 1.5
              disabled: off
        """, Map.of());

    assertEquals(32, config.storage().maxThreads());
    assertTrue(config.storage().deleteEnabled());
    assertEquals(Duration.ofSeconds(10), config.http().drainTimeout());
    assertTrue(config.http().relativeUrls());
    NotificationsConfig.Endpoint endpoint = config.notifications().endpoints().get(0);
    assertEquals(31, endpoint.threshold());
    assertEquals(Duration.ofMillis(1500), endpoint.timeout());
    assertEquals(false, endpoint.disabled());
  }

  @Test
  void durationsWholeNumbersAndBooleansFromTheEnvironmentReadAsBefore() throws IOException {
    RegistryConfig config = fixture.load(null, Map.of(
        "REGISTRY_STORAGE_FILESYSTEM_MAXTHREADS", "0040",
        "REGISTRY_STORAGE_DELETE_ENABLED", "TRUE",
        "REGISTRY_HTTP_DRAINTIMEOUT", "10",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "hook",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://hooks.example/events",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_THRESHOLD", "7",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_TIMEOUT", "1.5",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_DISABLED", "false"));

    assertEquals(40, config.storage().maxThreads());
    assertTrue(config.storage().deleteEnabled());
    assertEquals(Duration.ofSeconds(10), config.http().drainTimeout());
    NotificationsConfig.Endpoint endpoint = config.notifications().endpoints().get(0);
    assertEquals(7, endpoint.threshold());
    assertEquals(Duration.ofMillis(1500), endpoint.timeout());
    assertEquals(false, endpoint.disabled());
  }

  @Test
  void aNumberInLogFieldsStaysTheNumberYamlReads() throws IOException {
    RegistryConfig config = fixture.load("log:\n  fields:\n    shard: 7\n    ready: true\n    name: 0042\n", Map.of());

    assertEquals(Map.of("shard", 7, "ready", true, "name", 34), config.log().fields());
  }
}
