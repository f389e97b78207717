package io.berth.common.boot;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.berth.common.config.LogConfig;
import io.berth.common.event.EventSource;
import io.berth.common.logging.ClientGoneFilter;
import io.berth.common.logging.LogEncoders;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.level}, {@code log.formatter} and {@code log.fields} to Logback once the configuration is known;
 * every process kind (all-in-one, each service's own main) calls it, and brings Logback at run time. Every line also
 * carries {@code instance.id}, the process's id that its events name as {@code source.instanceID} (as distribution's
 * lines and events share one).
 */
public final class LoggingSetup {
  private LoggingSetup() {
  }

  public static void apply(LogConfig log) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    ClientGoneFilter clientGone = new ClientGoneFilter();
    clientGone.setContext(context);
    clientGone.start();
    context.addTurboFilter(clientGone);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("instance.id", EventSource.processInstanceId());
    fields.putAll(log.fields());
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setEncoder(LogEncoders.of(context, log.formatter(), fields, ZoneId.systemDefault()));
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(log.level()));
    root.addAppender(console);
    // Netty and Hazelcast are chatty at info; their warnings still show.
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("com.hazelcast").setLevel(Level.WARN);
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
