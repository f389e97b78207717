package io.berth.manifest;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.StorageDriverFactory;
import io.berth.manifest.store.ManifestCache;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The manifest service as a process runs it: the storage readied off the event loops (on S3, the client built), then
 * {@code cluster.instances.manifest} manifest verticles sharing one cache.
 * The same wiring serves the all-in-one registry, the launcher's {@code --services} and {@link ManifestMain}.
 */
public final class ManifestService {
  private ManifestService() {
  }

  public static Future<Void> deploy(Vertx vertx, RegistryConfig config, Metrics metrics) {
    ManifestCache cache = new ManifestCache();
    return StorageDriverFactory.prepare(vertx, config.storage())
        .compose(prepared -> vertx.deployVerticle(() -> new ManifestVerticle(config, cache, metrics),
            new DeploymentOptions().setInstances(config.cluster().manifestInstances())))
        .mapEmpty();
  }
}
