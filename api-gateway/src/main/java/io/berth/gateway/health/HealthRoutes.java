package io.berth.gateway.health;

import io.berth.common.bus.message.HealthStatus;
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
    router.get("/livez").handler(this::live);
    router.get("/readyz").handler(this::ready);
  }

  /** distribution's health endpoint, on the debug server only (as distribution). */
  public void mountDebugHealth(Router router) {
    router.get("/debug/health").handler(this::ready);
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
