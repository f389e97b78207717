package io.berth.common.storage;

import io.berth.common.config.StorageConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.s3.S3StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The driver the configuration names; every service opens its storage here. Close each driver opened. */
public final class StorageDriverFactory {
  private StorageDriverFactory() {
  }

  public static StorageDriver open(Vertx vertx, StorageConfig storage) {
    return storage.s3() == null ? FileSystemStorageDriver.create(vertx, storage)
        : S3StorageDriver.open(vertx, storage.s3());
  }

  /** The configured driver, timed into the storage metrics under its distribution name. */
  public static StorageDriver metered(Vertx vertx, StorageConfig storage, Metrics metrics) {
    return new MeteredStorageDriver(open(vertx, storage), metrics, storage.driverName());
  }

  /**
   * Readies the storage for drivers opened on event loops: on S3, builds the process's client and resolves its
   * credentials on a worker ({@link S3StorageDriver#prepare}). Call it before deploying verticles that open a driver.
   */
  public static Future<Void> prepare(Vertx vertx, StorageConfig storage) {
    return storage.s3() == null ? Future.succeededFuture() : S3StorageDriver.prepare(vertx, storage.s3());
  }

  /**
   * Checks that the storage can be used before the registry takes requests: on S3, that the bucket is there and the
   * credentials reach it, failing with a {@link io.berth.common.config.ConfigException} naming the key to fix. A file
   * system root is checked by the blob service itself (it names the path and the fix).
   */
  public static Future<Void> check(Vertx vertx, StorageConfig storage) {
    if (storage.s3() == null) {
      return Future.succeededFuture();
    }
    S3StorageDriver driver = S3StorageDriver.open(vertx, storage.s3());
    return driver.checkBucket().onComplete(done -> driver.close());
  }
}
