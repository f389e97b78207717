package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Numbers in {@code REGISTRY_*} variables, through the real loader: a value or a list index that no {@code long} or
 * list can hold stops startup naming the variable or key (a configuration error, not a stack trace or a heap filled
 * with empty list entries), and digits too long for a number stay the text they are.
 */
@ExtendWith(VertxExtension.class)
class EnvironmentNumbersTest {
  private static final Map<String, String> ENDPOINT = Map.of(
      "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "hook",
      "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "https://hooks.example/events");

  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void aSecretOfMoreDigitsThanALongHoldsIsKeptAsText() throws IOException {
    RegistryConfig config = fixture.load(null, with("REGISTRY_NOTIFICATIONS_ENDPOINTS_0_SECRET",
        "123456789012345678901234567890"));

    assertEquals("123456789012345678901234567890", config.notifications().endpoints().get(0).secret());
  }

  @Test
  void aListIndexBeyondAnyListStopsStartupNamingTheVariable() throws IOException {
    String variable = "REGISTRY_NOTIFICATIONS_ENDPOINTS_99999999999_URL";

    assertTrue(fixture.refused(null, Map.of(variable, "https://hooks.example/events")).getMessage()
        .startsWith(variable + ": "));
  }

  @Test
  void aListIndexOfTenThousandOrMoreStopsStartupBeforeAnyEntryIsMade() throws IOException {
    String variable = "REGISTRY_NOTIFICATIONS_ENDPOINTS_10000_URL";

    assertTrue(fixture.refused(null, Map.of(variable, "https://hooks.example/events")).getMessage()
        .startsWith(variable + ": "));
  }

  @Test
  void aNegativeListIndexStopsStartupNamingTheVariable() throws IOException {
    String variable = "REGISTRY_NOTIFICATIONS_ENDPOINTS_-1_URL";

    assertTrue(fixture.refused(null, Map.of(variable, "https://hooks.example/events")).getMessage()
        .startsWith(variable + ": "));
  }

  @Test
  void aWholeNumberBeyondAnIntStopsStartupNamingTheKey() throws IOException {
    assertTrue(fixture.refused(null, with("REGISTRY_NOTIFICATIONS_QUEUE_MAXEVENTS", "10000000000")).getMessage()
        .startsWith("notifications.queue.maxevents: "));
    assertTrue(fixture.refused("version: 0.1\nnotifications:\n  endpoints:\n    - name: hook\n"
            + "      url: https://hooks.example/events\n      threshold: 1e10\n", Map.of()).getMessage()
        .startsWith("notifications.endpoints[0].threshold: "));
  }

  private static Map<String, String> with(String variable, String value) {
    Map<String, String> environment = new HashMap<>(ENDPOINT);
    environment.put(variable, value);
    return environment;
  }
}
