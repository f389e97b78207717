package io.berth.common.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Map;

/** The encoder of a {@code log.formatter} (text, json or logstash), writing UTF-8 lines with {@code fields} on each. */
public final class LogEncoders {
  private LogEncoders() {
  }

  public static Encoder<ILoggingEvent> of(Context context, String formatter, Map<String, Object> fields,
      ZoneId zone) {
    Layout<ILoggingEvent> layout = switch (formatter) {
      case "json" -> new JsonLayout(fields, zone);
      case "logstash" -> new LogstashLayout(fields, zone);
      case "text" -> new TextLayout(fields, zone);
      default -> throw new IllegalArgumentException("no log formatter " + formatter);
    };
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    return encoder;
  }
}
