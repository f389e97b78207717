package io.berth.launcher.maintenance;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/** Watches one logger's lines while open, so a test can await the line that says something happened. */
final class LogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private record Wait(Predicate<String> matches, Promise<String> seen) {
  }

  private final Logger logger;
  private final List<Wait> waits = new CopyOnWriteArrayList<>();

  LogWatch(Class<?> source) {
    logger = (Logger) LoggerFactory.getLogger(source);
    start();
    logger.addAppender(this);
  }

  /** Completes with the first line logged from now on that {@code matches}. */
  Future<String> next(Predicate<String> matches) {
    Promise<String> seen = Promise.promise();
    waits.add(new Wait(matches, seen));
    return seen.future();
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line = event.getFormattedMessage();
    for (Wait wait : waits) {
      if (wait.matches().test(line) && wait.seen().tryComplete(line)) {
        waits.remove(wait);
      }
    }
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
