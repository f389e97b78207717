package io.berth.launcher;

import io.berth.common.boot.LoggingSetup;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code berth serve [config.yml]}: the all-in-one registry in this JVM; {@code berth garbage-collect …} offline GC. */
public final class BerthMain {
  private static final Logger LOG = LoggerFactory.getLogger(BerthMain.class);

  private BerthMain() {
  }

  public static void main(String[] args) {
    if (args.length >= 1 && args[0].equals("garbage-collect")) {
      System.exit(GarbageCollectCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    if (args.length < 1 || args.length > 2 || !args[0].equals("serve")) {
      LOG.error("usage: registry serve [config.yml] | " + GarbageCollectCommand.USAGE.substring("usage: ".length()));
      System.exit(2);
    }
    // The registry's Vert.x records its own meters from birth, so it is built once the configuration says whether
    // to: a short-lived Vert.x reads the configuration.
    Vertx bootstrap = Vertx.vertx();
    RegistryConfig config;
    try {
      config = ConfigLoader.load(bootstrap, args.length > 1 ? args[1] : null, System.getenv()).await();
    } catch (ConfigException e) {
      LOG.error("configuration error, not starting: {}", e.getMessage());
      bootstrap.close();
      System.exit(1);
      return;
    }
    bootstrap.close().await();
    Metrics metrics = Metrics.forConfig(config.debug());
    Vertx vertx = metrics.vertxBuilder(new VertxOptions()).build();
    LoggingSetup.apply(config.log());
    if (!config.ignored().isEmpty()) {
      LOG.warn("configuration keys not supported yet, ignored: {}", String.join(", ", config.ignored()));
    }
    EmbeddedRegistry registry;
    try {
      registry = EmbeddedRegistry.start(vertx, config, metrics).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("registry failed to start", e);
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("Berth listening [addr: {}:{}, storage: {}]", config.http().bindHost(), registry.port(),
        config.storage().rootDirectory().toAbsolutePath());
    if (config.tls().http() != null) {
      LOG.info("TLS on [minimum: {}, client certificates: {}]", config.tls().http().minimumTls(),
          config.tls().http().clientCas().isEmpty() ? "not asked for" : "verified against http.tls.clientcas");
    }
    if (config.maintenance().readOnly()) {
      LOG.warn("read-only mode: pushes and deletes are refused until storage.maintenance.readonly.enabled is false");
    }
    if (registry.issuerPort() >= 0) {
      LOG.info("token issuer listening [addr: {}:{}, issuer: {}]", config.authServer().bindHost(),
          registry.issuerPort(), config.authServer().issuer());
    }
    if (registry.debugPort() >= 0) {
      LOG.info("debug server listening [addr: {}:{}, metrics: {}]", config.debug().bindHost(), registry.debugPort(),
          config.debug().prometheusEnabled() ? config.debug().prometheusPath() : "off");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(registry, config), "berth-shutdown"));
  }

  /**
   * Runs on SIGTERM/SIGINT. A clean stop ends the process with status 0, as distribution does: left alone, the JVM
   * would report 143 (killed by SIGTERM) however orderly the shutdown was.
   */
  private static void shutdown(EmbeddedRegistry registry, RegistryConfig config) {
    LOG.info("shutting down: finishing in-flight requests");
    try {
      registry.stop(config.http().drainTimeout().toMillis() + 10_000);
    } catch (Exception e) {
      LOG.error("shutdown did not complete cleanly", e);
      return;
    }
    LOG.info("stopped");
    Runtime.getRuntime().halt(0);
  }
}
