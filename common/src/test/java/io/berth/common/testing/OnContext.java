package io.berth.common.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Runs test code on one Vert.x context, as production code always runs: stream classes such as ChunkSender are
 * not thread-safe and must see their callbacks on the thread that drives them.
 */
public final class OnContext {
  private OnContext() {
  }

  public static <T> Future<T> run(Context context, Supplier<Future<T>> action) {
    return Future.<Void>future(started -> context.runOnContext(v -> started.complete())).compose(v -> action.get());
  }

  public static <T> Future<T> run(Vertx vertx, Supplier<Future<T>> action) {
    return run(vertx.getOrCreateContext(), action);
  }
}
