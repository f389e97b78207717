package io.berth.common.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs test code on one Vert.x context, as production code always runs: stream classes such as ChunkSender are
 * not thread-safe and must see their callbacks on the thread that drives them.
 */
public final class OnContext {
  private OnContext() {
  }

  /**
   * Always on the context's thread: composing onto a future completed there ran the action on the calling thread
   * whenever the context was quicker than the composition, so a stream's consumer and its events raced.
   */
  public static <T> Future<T> run(Context context, Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      Future<T> started;
      try {
        started = action.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(result);
    });
    return result.future();
  }

  public static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> action) {
    return run(vertx.getOrCreateContext(), action);
  }
}
