package io.berth.blob;

import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code blob-service [--cluster] [config.yml]}: uploads and blob reads on the shared storage, alone in a process. */
public final class BlobMain {
  private BlobMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forUndrainedService("blob-service", ClusterConfig.Service.BLOB, BlobService::deploy).run(args);
  }
}
