package io.berth.common.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Asks a server again, every {@code pace}, until its answer shows the state a test waits for (a throttle refilled, a
 * token expired), up to {@code wait}: for state that changes with the server's clock and that a test reaches only by
 * asking, so there is no event to await.
 */
public final class Polling {
  private Polling() {
  }

  /** The first answer that {@code arrived} accepts, or the last one when {@code wait} runs out (the caller asserts). */
  public static <T> T until(Callable<T> ask, Predicate<T> arrived, Duration pace, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    T answer = ask.call();
    while (!arrived.test(answer) && System.nanoTime() < deadline) {
      Thread.sleep(pace.toMillis());
      answer = ask.call();
    }
    return answer;
  }
}
