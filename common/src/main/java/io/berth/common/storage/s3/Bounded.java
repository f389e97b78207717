package io.berth.common.storage.s3;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.Function;

/**
 * Runs an asynchronous step for each item with at most {@code concurrency} steps in flight, on the caller's context
 * (no locking needed). The result fails with the first step that fails; no step starts after that.
 */
final class Bounded<T> {
  private final List<T> items;
  private final Function<T, Future<?>> step;
  private final Promise<Void> done = Promise.promise();
  private int next;
  private int running;

  private Bounded(List<T> items, Function<T, Future<?>> step) {
    this.items = items;
    this.step = step;
  }

  static <T> Future<Void> each(List<T> items, int concurrency, Function<T, Future<?>> step) {
    if (items.isEmpty()) {
      return Future.succeededFuture();
    }
    Bounded<T> run = new Bounded<>(items, step);
    for (int i = 0; i < Math.min(concurrency, items.size()); i++) {
      run.startNext();
    }
    return run.done.future();
  }

  private void startNext() {
    if (done.future().isComplete()) {
      return;
    }
    if (next == items.size()) {
      if (running == 0) {
        done.tryComplete();
      }
      return;
    }
    T item = items.get(next++);
    running++;
    Future<?> started;
    try {
      started = step.apply(item);
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(result -> {
      running--;
      if (result.failed()) {
        done.tryFail(result.cause());
      } else {
        startNext();
      }
    });
  }
}
