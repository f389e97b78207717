package io.berth.blob.usage;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the storage usage gauges ({@link UsageGauges}) current: one instance per process that runs the blob service
 * with metrics on, walking storage ({@link UsageWalk}) at start and then {@code http.debug.prometheus.storageusage.
 * interval} after each walk ended, on a worker thread of its own. A scrape only reads the last walk's numbers.
 */
public final class StorageUsageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageUsageVerticle.class);

  private final RegistryConfig config;
  private final Metrics metrics;
  private WorkerExecutor worker;
  private UsageWalk walk;
  private UsageGauges gauges;
  private long timer = -1;
  private boolean stopped;

  public StorageUsageVerticle(RegistryConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    // A walk of a large registry takes long; Vert.x's blocked-thread warning would only be noise.
    worker = vertx.createSharedWorkerExecutor("berth-storage-usage", 1, 1, TimeUnit.HOURS);
    walk = new UsageWalk(config.storage().rootDirectory(), config.debug().storageUsage().repositories());
    gauges = new UsageGauges(metrics);
    walkNow();
    return Future.succeededFuture();
  }

  private void walkNow() {
    long started = System.nanoTime();
    worker.executeBlocking(walk::walk, false)
        .onSuccess(usage -> {
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          gauges.update(usage, Instant.now(), took);
          LOG.debug("storage usage walked [bytes: {}, blobs: {}, repositories: {}, took: {} ms]", usage.bytes(),
              usage.blobs(), usage.repositories(), took.toMillis());
        })
        .onFailure(failure -> LOG.warn("storage usage walk failed, gauges keep the last walk's numbers: {}",
            failure.toString()))
        .onComplete(done -> {
          if (!stopped) {
            timer = vertx.setTimer(config.debug().storageUsage().interval().toMillis(), id -> walkNow());
          }
        });
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return worker.close();
  }
}
