package io.berth.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

/**
 * {@code log.formatter: text}: logrus's text formatter without colours (its output when not on a terminal), as
 * distribution configures it: {@code time="…" level=info msg="…"} then every field as {@code key=value}, keys
 * sorted.
 * A value is quoted, Go style, when it holds anything but letters, digits and {@code -._/@^+}, so a line never breaks:
 * a stack trace is one quoted value with {@code \n} escapes.
 */
public final class TextLayout extends LayoutBase<ILoggingEvent> {
  private static final Set<String> OWN_KEYS = Set.of("time", "level", "msg");

  private final Map<String, Object> fields;
  private final ZoneId zone;

  /** For logback.xml: the lines a process writes before its configuration is read. */
  public TextLayout() {
    this(Map.of(), ZoneId.systemDefault());
  }

  public TextLayout(Map<String, Object> fields, ZoneId zone) {
    this.fields = Map.copyOf(fields);
    this.zone = zone;
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    LogLine line = LogLine.of(event, fields, zone, OWN_KEYS);
    StringBuilder text = new StringBuilder(256);
    append(text, "time", line.time());
    append(text, "level", line.level());
    if (!line.message().isEmpty()) {
      append(text, "msg", line.message());
    }
    line.fields().forEach((key, value) -> append(text, key, value));
    return text.append('\n').toString();
  }

  private static void append(StringBuilder text, String key, Object value) {
    if (!text.isEmpty()) {
      text.append(' ');
    }
    text.append(key).append('=');
    String plain = String.valueOf(value);
    if (value instanceof Number || value instanceof Boolean || !needsQuoting(plain)) {
      text.append(plain);
    } else {
      quote(text, plain);
    }
  }

  private static boolean needsQuoting(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._/@^+".indexOf(c) >= 0;
      if (!safe) {
        return true;
      }
    }
    return false;
  }

  /** Go's {@code strconv.Quote}: printable characters as they are, the rest escaped. */
  private static void quote(StringBuilder text, String value) {
    text.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> text.append("\\\"");
        case '\\' -> text.append("\\\\");
        case '\n' -> text.append("\\n");
        case '\r' -> text.append("\\r");
        case '\t' -> text.append("\\t");
        case '\u0007' -> text.append("\\a");
        case '\b' -> text.append("\\b");
        case '\f' -> text.append("\\f");
        case '\u000b' -> text.append("\\v");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            text.append(String.format("\\x%02x", (int) c));
          } else if (Character.isISOControl(c)) {
            text.append(String.format("\\u%04x", (int) c));
          } else {
            text.append(c);
          }
        }
      }
    }
    text.append('"');
  }
}
