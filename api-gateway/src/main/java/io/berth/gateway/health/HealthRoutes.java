package io.berth.gateway.health;

import io.berth.common.bus.message.HealthStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The probes, outside {@code /v2/} and without authentication: {@code /livez} answers while the process serves
 * HTTP; {@code /readyz} and distribution's {@code /debug/health} answer 200 {@code {}} when every health check passes,
 * else 503 with each failing check's name and error, from the process's {@link HealthState} (no I/O per request).
 */
public final class HealthRoutes {
  private final HealthState health;

  public HealthRoutes(HealthState health) {
    this.health = health;
  }

  /** The Kubernetes probes, on the registry's server and the debug server. */
  public void mountProbes(Router router) {
    router.get("/livez").handler(exactly("/livez", this::live));
    router.get("/readyz").handler(exactly("/readyz", this::ready));
  }

  /** distribution's health endpoint, on the debug server only (as distribution). */
  public void mountDebugHealth(Router router) {
    router.get("/debug/health").handler(exactly("/debug/health", this::ready));
  }

  /**
   * A probe answers its own path only as sent. The router matches the normalised path, so {@code //livez} or
   * {@code /x/../livez} reach the probe's route too; they go on to the next handlers, where the registry's server
   * refuses every path not in normal form (see {@link io.berth.gateway.http.RegistryHeaders}).
   */
  private static Handler<RoutingContext> exactly(String path, Handler<RoutingContext> probe) {
    return ctx -> {
      if (path.equals(ctx.request().path())) {
        probe.handle(ctx);
      } else {
        ctx.next();
      }
    };
  }

  private void live(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end("ok\n");
  }

  private void ready(RoutingContext ctx) {
    HealthStatus status = health.current();
    ctx.response().setStatusCode(status.healthy() ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(status.toJson().encode());
  }
}
