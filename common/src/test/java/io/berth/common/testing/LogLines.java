package io.berth.common.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The lines one logger writes at a level and above while open, rendered with their arguments. */
public final class LogLines implements AutoCloseable {
  private final Logger logger;
  private final Level level;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      synchronized (LogLines.this) {
        super.append(event);
        LogLines.this.notifyAll();
      }
    }
  };

  public LogLines(String loggerName, Level level) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    this.level = level;
    appender.start();
    logger.addAppender(appender);
  }

  public List<String> lines() {
    return List.copyOf(appender.list).stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(level))
        .map(event -> event.getLevel() + " " + event.getFormattedMessage())
        .toList();
  }

  /**
   * The lines once one of them matches, woken by each line logged; the lines as they are when {@code wait} runs out
   * with none matching (the caller's assertion says what was missing).
   */
  public synchronized List<String> await(Predicate<String> match, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    long left = wait.toNanos();
    while (lines().stream().noneMatch(match) && left > 0) {
      wait(Math.max(1, left / 1_000_000));
      left = deadline - System.nanoTime();
    }
    return lines();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }
}
