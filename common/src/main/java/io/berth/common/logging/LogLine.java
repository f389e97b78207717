package io.berth.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.event.KeyValuePair;

/**
 * One event as logrus would hold it: a time, a level under logrus's name, the message with its placeholders filled
 * in, and flat fields, sorted by key as Go's encoder writes a map. The fields are, each overriding the one before:
 * the configured {@code log.fields}, the process's {@code instance.id}, the {@code logger}, the event's key/value
 * pairs, and for an exception its {@code error} ({@code Class: message}) and {@code stack}. A field named like one of
 * the formatter's own keys is renamed {@code fields.<key>}, as logrus does, so it cannot replace the time or message.
 */
record LogLine(String time, String level, String message, Map<String, Object> fields) {
  static final String ERROR = "error";
  static final String STACK = "stack";

  static LogLine of(ILoggingEvent event, Map<String, Object> staticFields, ZoneId zone, Set<String> reserved) {
    Map<String, Object> fields = new TreeMap<>(staticFields);
    fields.put("logger", event.getLoggerName());
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        fields.put(pair.key, value(pair.value));
      }
    }
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      moveAside(fields, ERROR);
      moveAside(fields, STACK);
      fields.put(ERROR, thrown.getMessage() == null ? thrown.getClassName()
          : thrown.getClassName() + ": " + thrown.getMessage());
      fields.put(STACK, ThrowableProxyUtil.asString(thrown));
    }
    for (String key : reserved) {
      moveAside(fields, key);
    }
    return new LogLine(Rfc3339.format(event.getInstant(), zone), level(event.getLevel()),
        event.getFormattedMessage(), fields);
  }

  private static void moveAside(Map<String, Object> fields, String key) {
    if (fields.containsKey(key)) {
      fields.put("fields." + key, fields.remove(key));
    }
  }

  /** Numbers and booleans stay typed (JSON numbers, bare in text); anything else is its text. */
  private static Object value(Object value) {
    if (value == null) {
      return "";
    }
    return value instanceof Number || value instanceof Boolean || value instanceof String ? value
        : String.valueOf(value);
  }

  /** logrus's level names: {@code warning}, not {@code warn}. */
  static String level(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> "error";
      case Level.WARN_INT -> "warning";
      case Level.DEBUG_INT -> "debug";
      case Level.TRACE_INT -> "trace";
      default -> "info";
    };
  }
}
