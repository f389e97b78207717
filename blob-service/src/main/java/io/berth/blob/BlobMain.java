package io.berth.blob;

import io.berth.common.boot.Deployed;
import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code blob-service [--cluster] [config.yml]}: uploads and blob reads on the shared storage, alone in a process. */
public final class BlobMain {
  private BlobMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forService("blob-service", ClusterConfig.Service.BLOB,
        (vertx, config, metrics) -> BlobService.deploy(vertx, config, metrics).map(Deployed.NOTHING_TO_DRAIN))
        .run(args);
  }
}
