package io.berth.auth;

import io.berth.common.boot.LoggingSetup;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code auth-service [config.yml]}: the token issuer alone, configured by the {@code authserver} section. */
public final class AuthMain {
  private static final Logger LOG = LoggerFactory.getLogger(AuthMain.class);

  private AuthMain() {
  }

  public static void main(String[] args) {
    if (args.length > 1) {
      LOG.error("usage: auth-service [config.yml]");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    TokenVerticle verticle;
    RegistryConfig config;
    try {
      config = ConfigLoader.load(vertx, args.length > 0 ? args[0] : null, System.getenv()).await();
      if (!config.authServer().enabled()) {
        throw new ConfigException("authserver", "section missing: nothing to serve");
      }
      LoggingSetup.apply(config.log());
      if (!config.ignored().isEmpty()) {
        LOG.warn("configuration keys not supported yet, ignored: {}", String.join(", ", config.ignored()));
      }
      verticle = new TokenVerticle(config);
      vertx.deployVerticle(verticle).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("token issuer not starting: {}", e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("Berth token issuer listening [addr: {}:{}, issuer: {}, service: {}]", config.authServer().bindHost(),
        verticle.port(), config.authServer().issuer(), config.authServer().service());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx), "berth-auth-shutdown"));
  }

  private static void shutdown(Vertx vertx) {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("shutdown did not complete cleanly", e);
    }
  }
}
