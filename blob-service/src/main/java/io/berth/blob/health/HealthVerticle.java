package io.berth.blob.health;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.bus.message.HealthStatus;
import io.berth.common.config.HealthConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.health.PeriodicCheck;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverFactory;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Map;

/**
 * The blob service's health check (it owns storage), one instance per process: runs the storage check and answers
 * {@link Addresses#HEALTH} with its failure, if any. The gateways ask here every interval and keep the answer.
 */
public final class HealthVerticle extends VerticleBase {
  /** distribution names the check {@code storagedriver_} and the driver's name. */
  private static final String STORAGE_CHECK = "storagedriver_";

  private final RegistryConfig config;
  private final Metrics metrics;
  private PeriodicCheck storage;
  private StorageDriver driver;
  private volatile String reported;

  public HealthVerticle(RegistryConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    HealthConfig.StorageDriverCheck check = config.health().storageDriver();
    if (check.enabled()) {
      // Not metered: the probe's own writes would drown the registry's in berth_storage_action_seconds.
      driver = StorageDriverFactory.open(vertx, config.storage());
      StorageProbe probe = new StorageProbe(driver, config.maintenance().readOnly());
      storage = new PeriodicCheck(vertx, checkName(), check.interval(), check.threshold(), probe::run,
          (name, error) -> reported = error, metrics);
      storage.start();
    }
    return BusConsumers.register(vertx.eventBus(), Addresses.HEALTH, body -> Future.succeededFuture(status().toJson()))
        .completion();
  }

  private HealthStatus status() {
    String error = reported;
    return new HealthStatus(error == null ? Map.of() : Map.of(checkName(), error));
  }

  private String checkName() {
    return STORAGE_CHECK + config.storage().driverName();
  }

  @Override
  public Future<?> stop() {
    if (storage != null) {
      storage.stop();
      driver.close();
    }
    return Future.succeededFuture();
  }
}
