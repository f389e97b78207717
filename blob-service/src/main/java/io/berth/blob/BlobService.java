package io.berth.blob;

import io.berth.common.bus.UploadIds;
import io.berth.blob.gc.GarbageCollectorVerticle;
import io.berth.blob.health.HealthVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.blob.usage.StorageUsageVerticle;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.StorageDriverFactory;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The blob service as a process runs it: first a check that the storage root is writable (or the start fails naming
 * the path and the fix), then {@code cluster.instances.blob} blob verticles sharing one session table, and
 * once per process the storage health check, the upload purge, with {@code storage.gc.enabled} the online
 * garbage collector and, with metrics on, the storage usage walk (through the storage driver, on S3 too). The
 * storage is checked first (on S3: the bucket and the credentials), so a wrong one stops the start naming its key.
 * The same wiring serves the all-in-one registry,
 * the launcher's {@code --services} and {@link BlobMain}.
 */
public final class BlobService {
  private BlobService() {
  }

  public static Future<Void> deploy(Vertx vertx, RegistryConfig config, Metrics metrics) {
    UploadSessions uploads = new UploadSessions(metrics, config.storage().s3() != null, UploadIds.processId(vertx));
    Future<Void> storageReady = config.storage().s3() != null ? StorageDriverFactory.prepare(vertx, config.storage())
        .compose(prepared -> StorageDriverFactory.check(vertx, config.storage()))
        : StorageRootCheck.run(vertx, config.storage().rootDirectory(), config.maintenance().readOnly());
    return storageReady
        .compose(checked -> vertx.deployVerticle(() -> new BlobVerticle(config, uploads, metrics),
            new DeploymentOptions().setInstances(config.cluster().blobInstances())))
        .compose(id -> vertx.deployVerticle(new HealthVerticle(config, metrics)))
        .compose(id -> vertx.deployVerticle(new UploadPurgeVerticle(config, uploads)))
        .compose(id -> config.gc().enabled()
            ? vertx.deployVerticle(new GarbageCollectorVerticle(config, metrics)) : Future.succeededFuture(id))
        .compose(id -> metrics.enabled()
            ? vertx.deployVerticle(new StorageUsageVerticle(config, metrics)) : Future.succeededFuture(id))
        .mapEmpty();
  }
}
