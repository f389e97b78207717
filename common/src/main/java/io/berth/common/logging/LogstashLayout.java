package io.berth.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code log.formatter: logstash}: the logstash formatter of the registry:2 image (distribution 2.8,
 * logrus-logstash-hook), one object per line with {@code @timestamp}, {@code @version} "1", {@code message},
 * {@code level} and every field at the top level, keys sorted.
 */
public final class LogstashLayout extends LayoutBase<ILoggingEvent> {
  private static final Set<String> OWN_KEYS = Set.of("@timestamp", "@version", "message", "level");

  private final Map<String, Object> fields;
  private final ZoneId zone;

  public LogstashLayout(Map<String, Object> fields, ZoneId zone) {
    this.fields = Map.copyOf(fields);
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event, fields, zone, OWN_KEYS);
    Map<String, Object> object = new TreeMap<>(line.fields());
    object.put("@timestamp", line.time());
    object.put("@version", "1");
    object.put("message", line.message());
    object.put("level", line.level());
    return new JsonObject(object).encode() + "\n";
  }
}
