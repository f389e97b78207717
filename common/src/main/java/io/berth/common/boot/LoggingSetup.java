package io.berth.common.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.berth.common.config.LogConfig;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.level} and {@code log.formatter} to Logback once the configuration is known; every process kind
 * (all-in-one, each service's own main) calls it, and brings Logback at run time.
 */
public final class LoggingSetup {
  private LoggingSetup() {
  }

  public static void apply(LogConfig log) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    Encoder<ILoggingEvent> encoder = encoder(context, log.formatter());
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(log.level()));
    root.addAppender(console);
    // Netty and Hazelcast are chatty at info; their warnings still show.
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("com.hazelcast").setLevel(Level.WARN);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, String formatter) {
    if (formatter.equals("text")) {
      PatternLayoutEncoder pattern = new PatternLayoutEncoder();
      pattern.setContext(context);
      pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg %kvp{NONE}%n");
      pattern.start();
      return pattern;
    }
    JsonEncoder json = new JsonEncoder();
    json.setContext(context);
    json.start();
    return json;
  }

  private static Level level(String level) {
    return switch (level) {
      case "panic", "fatal", "error" -> Level.ERROR;
      case "warn" -> Level.WARN;
      case "debug" -> Level.DEBUG;
      case "trace" -> Level.TRACE;
      default -> Level.INFO;
    };
  }
}
