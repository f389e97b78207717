package io.berth.auth;

import io.berth.common.boot.Deployed;
import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code auth-service [--cluster] [config.yml]}: the token issuer alone, configured by the {@code authserver} keys. */
public final class AuthMain {
  private AuthMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forService("auth-service", ClusterConfig.Service.AUTH,
        (vertx, config, metrics) -> AuthService.deploy(vertx, config, metrics).map(Deployed.NOTHING_TO_DRAIN))
        .run(args);
  }
}
