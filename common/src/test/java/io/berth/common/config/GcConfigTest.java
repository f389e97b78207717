package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

/** Berth's {@code storage.gc} section, read through the same loader as the rest of the configuration. */
@ExtendWith(VertxExtension.class)
class GcConfigTest {
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void withoutTheSectionNoCollectionRunsAndNothingIsRefreshed() throws IOException {
    GcConfig gc = fixture.load("version: 0.1\n", Map.of()).gc();

    assertEquals(new GcConfig(false, Duration.ofHours(24), Duration.ofHours(2), false), gc);
    assertNull(gc.refreshAfter());
  }

  @Test
  void theSectionSetsEveryKeyAndIsNotReportedAsIgnored() throws IOException {
    RegistryConfig config = fixture.load("""
        version: 0.1
        storage:
          filesystem:
            rootdirectory: /srv/registry
          gc:
            enabled: true
            interval: 1h30m
            graceperiod: 32m
            deleteuntagged: true
        """, Map.of());

    assertEquals(new GcConfig(true, Duration.ofMinutes(90), Duration.ofMinutes(32), true), config.gc());
    assertEquals(Duration.ofMinutes(2), config.gc().refreshAfter());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentVariablesSetTheKeysAsInDistribution() throws IOException {
    GcConfig gc = fixture.load("version: 0.1\n", Map.of("REGISTRY_STORAGE_GC_ENABLED", "true",
        "REGISTRY_STORAGE_GC_INTERVAL", "1s", "REGISTRY_STORAGE_GC_GRACEPERIOD", "2s")).gc();

    assertEquals(new GcConfig(true, Duration.ofSeconds(1), Duration.ofSeconds(2), false), gc);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "storage.gc.interval       | 0s",
      "storage.gc.interval       | later",
      "storage.gc.graceperiod    | -5m",
      "storage.gc.enabled        | sometimes",
      "storage.gc.deleteuntagged | 1"})
  void aBadValueFailsNamingItsKey(String key, String value) throws IOException {
    String variable = "REGISTRY_" + key.replace('.', '_').toUpperCase(Locale.ROOT);

    ConfigException error = fixture.refused("version: 0.1\n", Map.of(variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }
}
