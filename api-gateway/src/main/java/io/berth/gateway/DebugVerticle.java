package io.berth.gateway;

import io.berth.common.boot.ClusterServices;
import io.berth.common.config.ConnectionLimits;
import io.berth.common.config.DebugConfig;
import io.berth.common.http.ConnectionCap;
import io.berth.common.http.ConnectionGuard;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.health.HealthRoutes;
import io.berth.gateway.health.HealthState;
import io.berth.gateway.health.PrometheusScrape;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * distribution's debug server ({@code http.debug.addr}), one per process: {@code /debug/health}, the probes and,
 * when enabled, the Prometheus scrape of this process's meters. It is for operators and monitoring, never for
 * registry clients, so it has no authentication: bind it to an address only they reach. It keeps the gateway's
 * timeouts ({@code http.timeouts}) and a small fixed connection cap of its own.
 */
public final class DebugVerticle extends VerticleBase {
  private final DebugConfig debug;
  private final Metrics metrics;
  private final ConnectionGuard guard;
  private final HealthState health;
  private HttpServer server;

  public DebugVerticle(DebugConfig debug, ConnectionLimits timeouts, Metrics metrics, HealthState health) {
    this.debug = debug;
    this.metrics = metrics;
    this.guard = new ConnectionGuard(timeouts, ConnectionCap.debug());
    this.health = health;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    HealthRoutes routes = new HealthRoutes(health, () -> ClusterServices.seen(vertx));
    routes.mountProbes(router);
    routes.mountDebugHealth(router);
    if (debug.prometheusEnabled()) {
      metrics.prometheusRegistry().ifPresent(registry ->
          router.get(debug.prometheusPath()).handler(new PrometheusScrape(registry)));
    }
    server = vertx.createHttpServer(guard.configure(new HttpServerOptions().setHost(debug.bindHost())
        .setPort(debug.port())));
    return server.connectionHandler(guard::accept).requestHandler(router).listen();
  }

  /** The port actually bound, for configurations that ask for port 0. */
  public int port() {
    return server.actualPort();
  }
}
