package io.berth.auth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log event of every logger, at DEBUG and above, while open; each rendered with its arguments and throwable. */
final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Level previous = root.getLevel();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogCapture() {
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.DEBUG);
  }

  /** Message, raw arguments, MDC and stack trace of each event: all the places a secret could slip into. */
  List<String> rendered() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : List.copyOf(appender.list)) {
      StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
      if (event.getArgumentArray() != null) {
        line.append(' ').append(Arrays.deepToString(event.getArgumentArray()));
      }
      line.append(' ').append(event.getMDCPropertyMap());
      if (event.getThrowableProxy() != null) {
        line.append(' ').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  /** Logger and message of each event at ERROR. */
  List<String> errors() {
    return List.copyOf(appender.list).stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(event -> event.getLoggerName() + ": " + event.getFormattedMessage()).toList();
  }

  /** Forgets the events captured so far. */
  void clear() {
    appender.list.clear();
  }

  @Override
  public void close() {
    root.setLevel(previous);
    root.detachAppender(appender);
    appender.stop();
  }
}
