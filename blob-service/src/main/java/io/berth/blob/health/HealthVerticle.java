package io.berth.blob.health;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.bus.message.HealthStatus;
import io.berth.common.config.HealthConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.FileSystemStorageDriver;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Map;

/**
 * The blob service's health checks (it owns storage), one instance per process: runs the storage check and answers
 * {@link Addresses#HEALTH} with the failing checks. The gateway's {@code /readyz} and {@code /debug/health} ask here.
 */
public final class HealthVerticle extends VerticleBase {
  /** distribution names the check {@code storagedriver_} and the driver's name. */
  static final String STORAGE_CHECK = "storagedriver_filesystem";

  private final RegistryConfig config;
  private final Metrics metrics;
  private StorageHealthCheck storage;

  public HealthVerticle(RegistryConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    HealthConfig.StorageDriverCheck check = config.health().storageDriver();
    if (check.enabled()) {
      // Not metered: the probe's own writes would drown the registry's in berth_storage_action_seconds.
      StorageProbe probe = new StorageProbe(FileSystemStorageDriver.create(vertx, config.storage()));
      storage = new StorageHealthCheck(vertx, STORAGE_CHECK, probe, check, metrics);
      storage.start();
    }
    return BusConsumers.register(vertx.eventBus(), Addresses.HEALTH, body -> Future.succeededFuture(status().toJson()))
        .completion();
  }

  private HealthStatus status() {
    String error = storage == null ? null : storage.reported();
    return new HealthStatus(error == null ? Map.of() : Map.of(storage.name(), error));
  }

  @Override
  public Future<?> stop() {
    if (storage != null) {
      storage.stop();
    }
    return Future.succeededFuture();
  }
}
