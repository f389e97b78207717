package io.berth.launcher;

import io.berth.auth.AuthService;
import io.berth.blob.BlobService;
import io.berth.common.boot.Deployed;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ClusterConfig.Service;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.DebugService;
import io.berth.gateway.GatewayService;
import io.berth.manifest.ManifestService;
import io.berth.notify.NotificationService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The services {@code cluster.services} names, on one Vert.x instance: by default the all-in-one registry (gateway,
 * blob and manifest services, the token issuer when {@code authserver} is configured, the notification service when a
 * {@code notifications} endpoint is, the debug server when {@code http.debug.addr} is) on the local event bus,
 * sharing one storage; on a clustered Vert.x, any subset of them, with the debug server in every process that has it
 * configured (the one way to probe a process that runs no gateway). Services are deployed before the
 * gateway, so no request arrives before a service can answer it; the notification service before the services that
 * publish events, so that it misses none; the issuer first, so a generated certificate exists before the gateway
 * loads {@code rootcertbundle}.
 */
public final class EmbeddedRegistry implements Deployed {
  private final Vertx vertx;
  private final GatewayService gateway;
  private final int debugPort;

  private EmbeddedRegistry(Vertx vertx, GatewayService gateway, int debugPort) {
    this.vertx = vertx;
    this.gateway = gateway;
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
    ClusterConfig cluster = config.cluster();
    return when(cluster, Service.AUTH, () -> AuthService.deploy(vertx, config, metrics))
        .compose(v -> when(cluster, Service.NOTIFICATION, () -> NotificationService.deploy(vertx, config, metrics)))
        .compose(v -> when(cluster, Service.MANIFEST, () -> ManifestService.deploy(vertx, config, metrics)))
        .compose(v -> when(cluster, Service.BLOB, () -> BlobService.deploy(vertx, config, metrics)))
        .compose(v -> when(cluster, Service.GATEWAY, () -> GatewayService.deploy(vertx, config, metrics)))
        .compose(gateway -> gateway != null ? Future.succeededFuture(new EmbeddedRegistry(vertx, gateway,
            gateway.debugPort())) : DebugService.deployAlone(vertx, config, metrics)
            .map(debugPort -> new EmbeddedRegistry(vertx, null, debugPort)));
  }

  /** {@code service}'s deployment when this process runs it, else null. */
  private static <T> Future<T> when(ClusterConfig cluster, Service service, Supplier<Future<T>> deploy) {
    return cluster.runs(service) ? deploy.get() : Future.succeededFuture();
  }

  /** The gateway's port, or -1 when this process runs no gateway. */
  public int port() {
    return gateway == null ? -1 : gateway.port();
  }

  /** The debug server's port when {@code http.debug.addr} is set, else -1. */
  public int debugPort() {
    return debugPort;
  }

  /** Stops taking requests and lets in-flight ones finish ({@code http.draintimeout}); the services keep running. */
  @Override
  public Future<Void> drain() {
    return gateway == null ? Future.succeededFuture() : gateway.drain();
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
