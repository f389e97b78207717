package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** distribution's {@code storage.maintenance}: upload purging and read-only mode, with distribution's defaults. */
class MaintenanceConfigTest {

  private static RegistryConfig parse(String json) {
    return ConfigParser.parse(new JsonObject(json));
  }

  private static RegistryConfig fromEnvironment(Map<String, String> environment) {
    return ConfigParser.parse(EnvironmentOverrides.apply(new JsonObject(), environment));
  }

  @Test
  void withoutTheSectionPurgingRunsDailyForUploadsOlderThanAWeekAndWritesAreAllowed() {
    MaintenanceConfig maintenance = parse("{}").maintenance();

    assertEquals(new MaintenanceConfig.UploadPurging(true, Duration.ofHours(168), Duration.ofHours(24), false),
        maintenance.uploadPurging());
    assertFalse(maintenance.readOnly());
  }

  @Test
  void theStorageMaintenanceSectionOfADistributionConfigSetsEveryKey() {
    RegistryConfig config = parse("""
        {"storage": {"filesystem": {"rootdirectory": "/srv"},
          "maintenance": {"uploadpurging": {"enabled": false, "age": "2h30m", "interval": "10m", "dryrun": true},
                          "readonly": {"enabled": true}}}}""");

    assertEquals(new MaintenanceConfig.UploadPurging(false, Duration.ofMinutes(150), Duration.ofMinutes(10), true),
        config.maintenance().uploadPurging());
    assertTrue(config.maintenance().readOnly());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void aTopLevelMaintenanceSectionIsReadTheSameWay() {
    RegistryConfig config = parse("""
        {"maintenance": {"uploadpurging": {"age": "1h"}, "readonly": {"enabled": true}}}""");

    assertEquals(new MaintenanceConfig.UploadPurging(true, Duration.ofHours(1), Duration.ofHours(24), false),
        config.maintenance().uploadPurging());
    assertTrue(config.maintenance().readOnly());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentVariablesSetReadOnlyModeAndThePurgeAge() {
    RegistryConfig config = fromEnvironment(Map.of(
        "REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true",
        "REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE", "36h"));

    assertTrue(config.maintenance().readOnly());
    assertEquals(Duration.ofHours(36), config.maintenance().uploadPurging().age());
  }

  @Test
  void bothPlacesAtOnceAreRefusedNamingTheTopLevelKey() {
    ConfigException error = assertThrows(ConfigException.class, () -> parse("""
        {"maintenance": {"readonly": {"enabled": true}},
         "storage": {"maintenance": {"readonly": {"enabled": false}}}}"""));

    assertTrue(error.getMessage().startsWith("maintenance: "), error.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "storage.maintenance.uploadpurging.age      | REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE      | a week",
      "storage.maintenance.uploadpurging.age      | REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_AGE      | 0s",
      "storage.maintenance.uploadpurging.interval | REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_INTERVAL | 0",
      "storage.maintenance.uploadpurging.enabled  | REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_ENABLED  | sometimes",
      "storage.maintenance.uploadpurging.dryrun   | REGISTRY_STORAGE_MAINTENANCE_UPLOADPURGING_DRYRUN   | yes",
      "storage.maintenance.readonly.enabled       | REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED       | on",
      "storage.maintenance.readonly               | REGISTRY_STORAGE_MAINTENANCE_READONLY               | true"})
  void aBadValueFailsNamingItsKey(String key, String variable, String value) {
    ConfigException error = assertThrows(ConfigException.class, () -> fromEnvironment(Map.of(variable, value)));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }
}
