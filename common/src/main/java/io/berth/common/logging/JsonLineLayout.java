package io.berth.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One flat JSON object per line, keys sorted: the formatter's own keys, each read from the {@link LogLine}, beside
 * every field. The JSON formatters differ only in what their own keys are called and hold.
 */
abstract class JsonLineLayout extends LayoutBase<ILoggingEvent> {
  private final Map<String, Object> fields;
  private final ZoneId zone;
  private final Map<String, Function<LogLine, Object>> ownKeys;

  JsonLineLayout(Map<String, Object> fields, ZoneId zone, Map<String, Function<LogLine, Object>> ownKeys) {
    this.fields = Map.copyOf(fields);
    this.zone = zone;
    this.ownKeys = Map.copyOf(ownKeys);
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event, fields, zone, ownKeys.keySet());
    Map<String, Object> object = new TreeMap<>(line.fields());
    ownKeys.forEach((key, value) -> object.put(key, value.apply(line)));
    return new JsonObject(object).encode() + "\n";
  }
}
