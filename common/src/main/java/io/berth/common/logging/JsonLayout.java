package io.berth.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code log.formatter: json}: logrus's JSON formatter as distribution configures it, one flat object per line with
 * {@code time} (RFC 3339, fractional seconds), {@code level}, {@code msg} and every field at the top level, keys
 * sorted.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
  private static final Set<String> OWN_KEYS = Set.of("time", "level", "msg");

  private final Map<String, Object> fields;
  private final ZoneId zone;

  public JsonLayout(Map<String, Object> fields, ZoneId zone) {
    this.fields = Map.copyOf(fields);
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event, fields, zone, OWN_KEYS);
    Map<String, Object> object = new TreeMap<>(line.fields());
    object.put("time", line.time());
    object.put("level", line.level());
    object.put("msg", line.message());
    return new JsonObject(object).encode() + "\n";
  }
}
