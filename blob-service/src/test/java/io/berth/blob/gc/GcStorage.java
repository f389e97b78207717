package io.berth.blob.gc;

import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.s3.S3StorageDriver;
import io.berth.common.testing.S3TestServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * The storages a collection's verdict must not depend on: a file system and S3 (S3Proxy on 127.0.0.1, one server
 * for the JVM's tests, a bucket of its own per driver).
 */
enum GcStorage {
  FILESYSTEM, S3;

  private static S3TestServer server;

  /** A driver over fresh, empty storage; {@code directory} is a fresh directory the file system may use. */
  StorageDriver open(Vertx vertx, Path directory) {
    if (this == FILESYSTEM) {
      return new FileSystemStorageDriver(vertx, directory);
    }
    return S3StorageDriver.open(vertx, server().config(server().newBucket(), "/gc"));
  }

  private static synchronized S3TestServer server() {
    if (server == null) {
      server = S3TestServer.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (Exception e) {
          // the JVM ends anyway
        }
      }));
    }
    return server;
  }
}
