package io.berth.blob;

import io.berth.blob.upload.UploadPurger;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.config.MaintenanceConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules upload purging ({@code storage.maintenance.uploadpurging}): a first run after a random delay, as
 * distribution's jitter spreads the instances of a cluster (up to an hour, never more than the interval), then one
 * run every {@code interval} after the previous one ended. Deploy one instance per process, beside the blob
 * verticles whose upload sessions it shares.
 */
public final class UploadPurgeVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(UploadPurgeVerticle.class);
  private static final Duration MAX_JITTER = Duration.ofHours(1);

  private final RegistryConfig config;
  private final UploadSessions uploads;
  private boolean stopped;
  private StorageDriver driver;

  public UploadPurgeVerticle(RegistryConfig config, UploadSessions uploads) {
    this.config = config;
    this.uploads = uploads;
  }

  @Override
  public Future<?> start() {
    MaintenanceConfig.UploadPurging purging = config.maintenance().uploadPurging();
    if (!purging.enabled()) {
      LOG.info("upload purging disabled");
      return Future.succeededFuture();
    }
    driver = StorageDriverFactory.open(vertx, config.storage());
    UploadPurger purger = new UploadPurger(vertx, driver, uploads);
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(MAX_JITTER.toMillis(),
        purging.interval().toMillis())));
    LOG.info("upload purging starts in {} [age: {}, interval: {}, dry run: {}]", Duration.ofMillis(jitter),
        purging.age(), purging.interval(), purging.dryRun());
    schedule(purger, purging, jitter);
    return Future.succeededFuture();
  }

  private void schedule(UploadPurger purger, MaintenanceConfig.UploadPurging purging, long delayMs) {
    if (stopped) {
      return;
    }
    vertx.setTimer(Math.max(1, delayMs), id -> purger.purge(Instant.now().minus(purging.age()), purging.dryRun())
        .onComplete(done -> {
          if (done.failed()) {
            LOG.error("upload purge failed", done.cause());
          }
          schedule(purger, purging, purging.interval().toMillis());
        }));
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (driver != null) {
      driver.close();
    }
    return Future.succeededFuture();
  }
}
