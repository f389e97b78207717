package io.berth.manifest;

import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code manifest-service [--cluster] [config.yml]}: manifests, tags, referrers and catalog, alone in a process. */
public final class ManifestMain {
  private ManifestMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forUndrainedService("manifest-service", ClusterConfig.Service.MANIFEST,
        ManifestService::deploy).run(args);
  }
}
