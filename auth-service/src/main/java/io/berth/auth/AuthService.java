package io.berth.auth;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token issuer as a process runs it: one {@link TokenVerticle} on {@code authserver.addr}. The same wiring serves
 * the all-in-one registry (which deploys it first, so a generated certificate exists before the gateway loads
 * {@code rootcertbundle}), the launcher's {@code --services} and {@link AuthMain}.
 */
public final class AuthService {
  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);

  private AuthService() {
  }

  public static Future<Void> deploy(Vertx vertx, RegistryConfig config, Metrics metrics) {
    TokenVerticle issuer = new TokenVerticle(config, metrics);
    return vertx.deployVerticle(issuer).onSuccess(id -> {
      LOG.info("Berth token issuer listening [addr: {}:{}, issuer: {}, service: {}]", config.authServer().bindHost(),
          issuer.port(), config.authServer().issuer(), config.authServer().service());
      issuer.logLimits();
    }).mapEmpty();
  }
}
