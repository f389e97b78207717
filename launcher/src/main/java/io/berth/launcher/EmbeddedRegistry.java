package io.berth.launcher;

import io.berth.auth.TokenVerticle;
import io.berth.blob.BlobVerticle;
import io.berth.blob.UploadPurgeVerticle;
import io.berth.blob.gc.GarbageCollectorVerticle;
import io.berth.blob.health.HealthVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.DebugVerticle;
import io.berth.gateway.GatewayVerticle;
import io.berth.manifest.ManifestVerticle;
import io.berth.manifest.store.ManifestCache;
import io.berth.notify.NotificationVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The all-in-one registry: gateway, blob and manifest verticles, the health checks (and the token issuer when
 * {@code authserver} is configured, the notification service when a {@code notifications} endpoint is, the debug server
 * when {@code http.debug.addr} is) on one Vert.x instance's local event bus, sharing one storage. Services are deployed
 * before the gateway, so no request arrives before a service can answer it; the notification service before the
 * services that publish events, so that it misses none.
 */
public final class EmbeddedRegistry {
  private final Vertx vertx;
  private final List<GatewayVerticle> gateways;
  private final String gatewayDeployment;
  private final int issuerPort;
  private final int debugPort;

  private EmbeddedRegistry(Vertx vertx, List<GatewayVerticle> gateways, String gatewayDeployment, int issuerPort,
      int debugPort) {
    this.vertx = vertx;
    this.gateways = gateways;
    this.gatewayDeployment = gatewayDeployment;
    this.issuerPort = issuerPort;
    this.debugPort = debugPort;
  }

  /** A registry whose meters go nowhere unless {@code http.debug.prometheus} asks for them. */
  public static Future<EmbeddedRegistry> start(Vertx vertx, RegistryConfig config) {
    return start(vertx, config, Metrics.forConfig(config.debug()));
  }

  /**
   * {@code metrics} is the process's one meter registry, handed to every verticle; build {@code vertx} with
   * {@link Metrics#vertxBuilder} so that Vert.x's own meters land in it too.
   */
  public static Future<EmbeddedRegistry> start(Vertx vertx, RegistryConfig config, Metrics metrics) {
    int cores = Runtime.getRuntime().availableProcessors();
    int serviceInstances = Math.max(1, cores / 2);
    // Instances of a server on port 0 would each bind their own random port; a test registry takes one gateway.
    int gatewayInstances = config.http().port() == 0 ? 1 : cores;
    UploadSessions uploads = new UploadSessions(metrics);
    ManifestCache cache = new ManifestCache();
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    TokenVerticle issuer = new TokenVerticle(config);
    // One issuer per data directory: its refresh tokens live in one instance's memory and file.
    Future<String> issuerDeployed = config.authServer().enabled()
        ? vertx.deployVerticle(issuer) : Future.succeededFuture();
    return issuerDeployed
        .compose(id -> config.notifications().enabledEndpoints().isEmpty()
            ? Future.succeededFuture() : vertx.deployVerticle(new NotificationVerticle(config, metrics)))
        .compose(id -> vertx.deployVerticle(() -> new ManifestVerticle(config, cache, metrics),
            new DeploymentOptions().setInstances(serviceInstances)))
        .compose(id -> vertx.deployVerticle(() -> new BlobVerticle(config, uploads, metrics),
            new DeploymentOptions().setInstances(serviceInstances)))
        .compose(id -> vertx.deployVerticle(new HealthVerticle(config, metrics)))
        .compose(id -> vertx.deployVerticle(new UploadPurgeVerticle(config, uploads)))
        .compose(id -> config.gc().enabled()
            ? vertx.deployVerticle(new GarbageCollectorVerticle(config, metrics)) : Future.succeededFuture(id))
        .compose(id -> vertx.deployVerticle(() -> {
          GatewayVerticle gateway = new GatewayVerticle(config, true, metrics);
          gateways.add(gateway);
          return gateway;
        }, new DeploymentOptions().setInstances(gatewayInstances)))
        .compose(gatewayId -> deployDebug(vertx, config, metrics).map(debugPort -> new EmbeddedRegistry(vertx,
            gateways, gatewayId, config.authServer().enabled() ? issuer.port() : -1, debugPort)));
  }

  /** The debug server when {@code http.debug.addr} is set: its port, else -1. */
  private static Future<Integer> deployDebug(Vertx vertx, RegistryConfig config, Metrics metrics) {
    if (!config.debug().enabled()) {
      return Future.succeededFuture(-1);
    }
    DebugVerticle debug = new DebugVerticle(config.debug(), metrics);
    return vertx.deployVerticle(debug).map(id -> debug.port());
  }

  public int port() {
    return gateways.get(0).port();
  }

  /** The token issuer's port when {@code authserver} is configured, else -1. */
  public int issuerPort() {
    return issuerPort;
  }

  /** The debug server's port when {@code http.debug.addr} is set, else -1. */
  public int debugPort() {
    return debugPort;
  }

  /** Stops taking requests and lets in-flight ones finish ({@code http.draintimeout}); the services keep running. */
  public Future<Void> drain() {
    return vertx.undeploy(gatewayDeployment);
  }

  /**
   * Drains, then closes Vert.x. Blocks the calling thread, which must not be a Vert.x thread: the close cannot be
   * chained onto a Vert.x future, whose completion would be dispatched to an event loop the close has just stopped.
   */
  public void stop(long timeoutMs) throws TimeoutException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    try {
      drain().await(timeoutMs, TimeUnit.MILLISECONDS);
    } finally {
      vertx.close().await(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }
  }
}
