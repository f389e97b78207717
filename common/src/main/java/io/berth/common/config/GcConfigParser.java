package io.berth.common.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** Parses Berth's {@code storage.gc} section (online garbage collection). */
final class GcConfigParser {
  private GcConfigParser() {
  }

  static GcConfig gc(ConfigReader reader) {
    Object section = reader.peek("storage.gc");
    if (section == null) {
      return GcConfig.disabled();
    }
    if (!(section instanceof JsonObject)) {
      throw new ConfigException("storage.gc", "expected a section of keys, got \"" + section + "\"");
    }
    Duration interval = positive(reader, "storage.gc.interval", GcConfig.DEFAULT_INTERVAL);
    Duration grace = positive(reader, "storage.gc.graceperiod", GcConfig.DEFAULT_GRACE_PERIOD);
    return new GcConfig(reader.bool("storage.gc.enabled", false), interval, grace,
        reader.bool("storage.gc.deleteuntagged", false));
  }

  private static Duration positive(ConfigReader reader, String key, Duration fallback) {
    Duration duration = reader.duration(key, fallback);
    if (duration.isZero() || duration.isNegative()) {
      throw new ConfigException(key, "must be longer than zero");
    }
    return duration;
  }
}
