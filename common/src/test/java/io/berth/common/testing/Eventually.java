package io.berth.common.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for state that changes in the background (a periodic health check, a meter recorded once a response has
 * gone out): re-runs a probe on a Vert.x timer until its result satisfies the condition, and fails with the last
 * result after {@link Await#TIMEOUT_SECONDS}. Waits for the change itself, never a guessed time.
 */
public final class Eventually {
  private static final long RETRY_MS = 20;

  private Eventually() {
  }

  /** The first probe result that satisfies {@code condition}; blocks the calling (test) thread. */
  public static <T> T await(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> condition) {
    Promise<T> satisfied = Promise.promise();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.TIMEOUT_SECONDS - 1);
    attempt(vertx, probe, condition, satisfied, deadline);
    return Await.result(satisfied.future());
  }

  private static <T> void attempt(Vertx vertx, Supplier<Future<T>> probe, Predicate<T> condition, Promise<T> satisfied,
      long deadline) {
    probe.get().onComplete(outcome -> {
      if (outcome.succeeded() && condition.test(outcome.result())) {
        satisfied.complete(outcome.result());
      } else if (System.nanoTime() > deadline) {
        satisfied.fail(new AssertionError("condition never held; last probe: "
            + (outcome.succeeded() ? outcome.result() : outcome.cause())));
      } else {
        vertx.setTimer(RETRY_MS, id -> attempt(vertx, probe, condition, satisfied, deadline));
      }
    });
  }
}
