package io.berth.auth;

import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/** {@code auth-service [--cluster] [config.yml]}: the token issuer alone, configured by the {@code authserver} keys. */
public final class AuthMain {
  private AuthMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forUndrainedService("auth-service", ClusterConfig.Service.AUTH, AuthService::deploy).run(args);
  }
}
