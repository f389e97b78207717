package io.berth.manifest;

import io.berth.common.storage.InterceptedStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A driver in front of a slow disk: every operation first waits, in arrival order, for one of a few spindles, holds
 * it for a fixed time, then runs on the real driver. So a request that queues thousands of operations at once makes
 * everyone else's wait behind them, as on storage whose latency, not the CPU, is the limit (a network file system).
 * Counts the operations in flight (arrived, not yet answered) and the most there ever were.
 */
final class SlowDisk extends InterceptedStorageDriver {
  private final WorkerExecutor spindles;
  private final long millis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();

  SlowDisk(Vertx vertx, StorageDriver driver, int spindles, long millis) {
    super(driver);
    this.spindles = vertx.createSharedWorkerExecutor("slow-disk-" + System.identityHashCode(this), spindles);
    this.millis = millis;
  }

  int mostInFlight() {
    return most.get();
  }

  void resetMost() {
    most.set(inFlight.get());
  }

  @Override
  protected <T> Future<T> intercept(Operation operation, String path, Supplier<Future<T>> call) {
    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    return spindles.executeBlocking(() -> {
      Thread.sleep(millis);
      return null;
    }, false).compose(v -> call.get()).onComplete(done -> inFlight.decrementAndGet());
  }
}
