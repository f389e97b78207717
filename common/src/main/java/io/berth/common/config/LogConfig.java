package io.berth.common.config;

/** {@code log.level} (error, warn, info, debug) and {@code log.formatter} (text, json, logstash). */
public record LogConfig(String level, String formatter) {
}
