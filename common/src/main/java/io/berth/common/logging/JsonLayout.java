package io.berth.common.logging;

import java.time.ZoneId;
import java.util.Map;

/**
 * {@code log.formatter: json}: logrus's JSON formatter as distribution configures it, one flat object per line with
 * {@code time} (RFC 3339, fractional seconds), {@code level}, {@code msg} and every field at the top level, keys
 * sorted.
 */
public final class JsonLayout extends JsonLineLayout {
  public JsonLayout(Map<String, Object> fields, ZoneId zone) {
    super(fields, zone, Map.of("time", LogLine::time, "level", LogLine::level, "msg", LogLine::message));
  }
}
