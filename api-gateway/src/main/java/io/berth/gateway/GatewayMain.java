package io.berth.gateway;

import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code api-gateway [--cluster] [config.yml]}: the HTTP front of a scaled-out registry, alone in its process. */
public final class GatewayMain {
  private GatewayMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forService("api-gateway", ClusterConfig.Service.GATEWAY, GatewayService::deploy).run(args);
  }
}
