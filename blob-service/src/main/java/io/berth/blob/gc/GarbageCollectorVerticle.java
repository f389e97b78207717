package io.berth.blob.gc;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.GcResult;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * Wires online garbage collection ({@code storage.gc.enabled}): one instance per process, on a worker thread of its
 * own, so a long run blocks neither the event loops nor the storage operations of the services; its storage calls
 * go through the configured driver (a file system or S3). The processes sharing a storage take turns through a
 * cluster-wide lock (see {@link OnlineCollector}).
 */
public final class GarbageCollectorVerticle extends VerticleBase {
  private final RegistryConfig config;
  private WorkerExecutor worker;
  private StorageDriver driver;
  private OnlineCollector collector;

  private final Metrics metrics;

  public GarbageCollectorVerticle(RegistryConfig config) {
    this(config, Metrics.disabled());
  }

  public GarbageCollectorVerticle(RegistryConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    // One run may take long on a large registry; Vert.x's blocked-thread warning would only be noise.
    worker = vertx.createSharedWorkerExecutor("berth-gc", 1, 1, TimeUnit.DAYS);
    driver = StorageDriverFactory.metered(vertx, config.storage(), metrics);
    collector = new OnlineCollector(vertx, worker, driver, config.gc());
    GcMetrics counts = new GcMetrics(metrics);
    return vertx.eventBus().<JsonObject>localConsumer(Addresses.GC_COMPLETED,
        message -> counts.record(GcResult.fromJson(message.body())))
        .completion()
        .onSuccess(registered -> collector.start());
  }

  @Override
  public Future<?> stop() {
    return collector.stop().compose(v -> worker.close()).onComplete(closed -> driver.close());
  }
}
