package io.berth.blob.gc;

import io.berth.common.config.RegistryConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Wires online garbage collection ({@code storage.gc.enabled}): one instance per data directory, on a worker
 * thread of its own, so a long run blocks neither the event loops nor the storage operations of the services.
 */
public final class GarbageCollectorVerticle extends VerticleBase {
  private final RegistryConfig config;
  private WorkerExecutor worker;
  private OnlineCollector collector;

  public GarbageCollectorVerticle(RegistryConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    // One run may take long on a large registry; Vert.x's blocked-thread warning would only be noise.
    worker = vertx.createSharedWorkerExecutor("berth-gc", 1, 1, TimeUnit.DAYS);
    collector = new OnlineCollector(vertx, worker, config.storage().rootDirectory(), config.gc());
    collector.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return collector.stop().compose(v -> worker.close());
  }
}
