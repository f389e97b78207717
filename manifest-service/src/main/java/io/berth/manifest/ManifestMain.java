package io.berth.manifest;

import io.berth.common.boot.Deployed;
import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code manifest-service [--cluster] [config.yml]}: manifests, tags, referrers and catalog, alone in a process. */
public final class ManifestMain {
  private ManifestMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forService("manifest-service", ClusterConfig.Service.MANIFEST,
        (vertx, config, metrics) -> ManifestService.deploy(vertx, config, metrics).map(Deployed.NOTHING_TO_DRAIN))
        .run(args);
  }
}
