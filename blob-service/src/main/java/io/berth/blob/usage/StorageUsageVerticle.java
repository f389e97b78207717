package io.berth.blob.usage;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the storage usage gauges ({@link UsageGauges}) current: one instance per process that runs the blob service
 * with metrics on, walking storage ({@link UsageWalk}, through a storage driver of its own: any storage, S3 too) at
 * start and then {@code http.debug.prometheus.storageusage.interval} after each walk ended. The walk only chains the
 * driver's calls, so it runs on this verticle's event loop; the driver does its blocking work on its own workers. Not
 * metered: the walk's own calls would drown the registry's in {@code berth_storage_action_seconds}. A scrape only
 * reads the last walk's numbers.
 */
public final class StorageUsageVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(StorageUsageVerticle.class);

  private final RegistryConfig config;
  private final Metrics metrics;
  private StorageDriver driver;
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
    driver = StorageDriverFactory.open(vertx, config.storage());
    walk = new UsageWalk(driver, config.debug().storageUsage().repositories());
    gauges = new UsageGauges(metrics);
    walkNow();
    return Future.succeededFuture();
  }

  private void walkNow() {
    long started = System.nanoTime();
    walk.walk()
        .onSuccess(usage -> {
          Duration took = Duration.ofNanos(System.nanoTime() - started);
          gauges.update(usage, Instant.now(), took);
          LOG.debug("storage usage walked [bytes: {}, blobs: {}, repositories: {}, took: {} ms]", usage.bytes(),
              usage.blobs(), usage.repositories(), took.toMillis());
        })
        .onFailure(failure -> {
          // A walk cut short by the verticle's stop (its driver closed) is no failure worth a warning.
          if (!stopped) {
            LOG.warn("storage usage walk failed, gauges keep the last walk's numbers: {}", failure.toString());
          }
        })
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
    driver.close();
    return Future.succeededFuture();
  }
}
