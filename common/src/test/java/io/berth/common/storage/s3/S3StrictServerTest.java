package io.berth.common.storage.s3;

import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverContract;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.vertx.core.Vertx;

/**
 * The driver contract against an S3 server that refuses every header it does not know (S3Proxy's default, as
 * S3-compatible servers older than the SDK's CRC checksums may): the driver sends none of those.
 */
class S3StrictServerTest extends StorageDriverContract {
  @S3Server(S3Server.Backend.STRICT)
  private static S3TestServer server;

  @Override
  protected long openHandles() {
    return 0;
  }

  @Override
  protected StorageDriver newDriver(Vertx vertx) {
    return S3StorageDriver.open(vertx, server.config(server.newBucket(), "/berth/root/"));
  }
}
