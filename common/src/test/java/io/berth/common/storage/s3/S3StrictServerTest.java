package io.berth.common.storage.s3;

import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverContract;
import io.berth.common.testing.S3TestServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The driver contract against an S3 server that refuses every header it does not know (S3Proxy's default, as
 * S3-compatible servers older than the SDK's CRC checksums may): the driver sends none of those.
 */
class S3StrictServerTest extends StorageDriverContract {
  private static S3TestServer server;

  @BeforeAll
  static void startServer() {
    server = S3TestServer.startStrict();
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected long openHandles() {
    return 0;
  }

  @Override
  protected StorageDriver newDriver(Vertx vertx) {
    return S3StorageDriver.open(vertx, server.config(server.newBucket(), "/berth/root/"));
  }
}
