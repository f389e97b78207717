package io.berth.common.logging;

import java.time.ZoneId;
import java.util.Map;

/**
 * {@code log.formatter: logstash}: the logstash formatter of the registry:2 image (distribution 2.8,
 * logrus-logstash-hook), one object per line with {@code @timestamp}, {@code @version} "1", {@code message},
 * {@code level} and every field at the top level, keys sorted.
 */
public final class LogstashLayout extends JsonLineLayout {
  public LogstashLayout(Map<String, Object> fields, ZoneId zone) {
    super(fields, zone, Map.of("@timestamp", LogLine::time, "@version", line -> "1", "message", LogLine::message,
        "level", LogLine::level));
  }
}
