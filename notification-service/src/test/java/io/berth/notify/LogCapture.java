package io.berth.notify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** The log events of the notification service while open, and a way to wait for one. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Logger logger = (Logger) LoggerFactory.getLogger("io.berth.notify");
  private final Level previous = logger.getLevel();
  private final List<ILoggingEvent> events = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Predicate<ILoggingEvent> condition, CompletableFuture<ILoggingEvent> found) {
  }

  LogCapture() {
    setContext(logger.getLoggerContext());
    start();
    logger.addAppender(this);
    logger.setLevel(Level.DEBUG);
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    events.add(event);
    waiters.removeIf(waiter -> waiter.condition().test(event) && waiter.found().complete(event));
  }

  /** The first event, past or future, that satisfies {@code condition}. */
  ILoggingEvent await(Predicate<ILoggingEvent> condition) throws Exception {
    CompletableFuture<ILoggingEvent> found = new CompletableFuture<>();
    synchronized (this) {
      for (ILoggingEvent event : events) {
        if (condition.test(event)) {
          return event;
        }
      }
      waiters.add(new Waiter(condition, found));
    }
    try {
      return found.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no such log event within 20 s; got " + messages(), e);
    }
  }

  synchronized List<String> messages() {
    return events.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previous);
    stop();
  }
}
