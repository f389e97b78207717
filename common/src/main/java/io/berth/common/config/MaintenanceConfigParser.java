package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Parses distribution's {@code storage.maintenance} section, with distribution's defaults (purging enabled, age
 * 168h, interval 24h, no dry run, not read-only). A top-level {@code maintenance} section is read the same way.
 */
final class MaintenanceConfigParser {
  private static final String STORAGE_SECTION = "storage.maintenance";
  private static final String TOP_LEVEL_SECTION = "maintenance";

  private MaintenanceConfigParser() {
  }

  static MaintenanceConfig parse(ConfigReader reader) {
    boolean inStorage = reader.peek(STORAGE_SECTION) != null;
    boolean topLevel = reader.peek(TOP_LEVEL_SECTION) != null;
    if (inStorage && topLevel) {
      throw new ConfigException(TOP_LEVEL_SECTION, "set storage.maintenance (where distribution reads it) or "
          + "maintenance, not both");
    }
    String section = topLevel ? TOP_LEVEL_SECTION : STORAGE_SECTION;
    for (String key : new String[] {section, section + ".uploadpurging", section + ".readonly"}) {
      Object value = reader.peek(key);
      if (value != null && !(value instanceof JsonObject)) {
        throw new ConfigException(key, "expected a section of keys, got \"" + value + "\"");
      }
    }
    String purging = section + ".uploadpurging";
    MaintenanceConfig.UploadPurging uploadPurging = new MaintenanceConfig.UploadPurging(
        reader.bool(purging + ".enabled", true),
        positive(reader, purging + ".age", Duration.ofHours(168)),
        positive(reader, purging + ".interval", Duration.ofHours(24)),
        reader.bool(purging + ".dryrun", false));
    return new MaintenanceConfig(uploadPurging, reader.bool(section + ".readonly.enabled", false));
  }

  private static Duration positive(ConfigReader reader, String key, Duration fallback) {
    Object value = reader.value(key);
    Duration duration = ConfigValues.duration(key, value, fallback);
    if (duration.isZero() || duration.isNegative()) {
      throw new ConfigException(key, "must be a positive duration, got \"" + value + "\"");
    }
    return duration;
  }
}
