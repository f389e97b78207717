package io.berth.common.config;

import java.util.Map;

/**
 * {@code log.level} (error, warn, info, debug), {@code log.formatter} (text, json, logstash) and {@code log.fields}:
 * key/value pairs (text, numbers, booleans) added to every line, as distribution adds them.
 */
public record LogConfig(String level, String formatter, Map<String, Object> fields) {
  public LogConfig {
    fields = Map.copyOf(fields);
  }

  public LogConfig(String level, String formatter) {
    this(level, formatter, Map.of());
  }
}
