package io.berth.gateway.health;

import io.berth.common.boot.ClusterServices;
import io.berth.common.bus.message.HealthStatus;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The probes, outside {@code /v2/} and without authentication: {@code /livez} answers while the process serves
 * HTTP; {@code /readyz} and distribution's {@code /debug/health} answer 200 {@code {}} when every health check passes,
 * else 503 with each failing check's name and error, from the process's {@link HealthState} (no I/O per request).
 * On a clustered process {@code /readyz} adds {@code services}: each service the process sees in the cluster and how
 * many instances of it ({@link ClusterServices}), so an operator sees a dead instance drop out and a new one join.
 */
public final class HealthRoutes {
  private static final String SERVICES = "services";

  private final HealthState health;
  private final Supplier<Map<String, Integer>> services;

  /** {@code services}: what {@link ClusterServices#seen} says, empty on a local bus. */
  public HealthRoutes(HealthState health, Supplier<Map<String, Integer>> services) {
    this.health = health;
    this.services = services;
  }

  /** The Kubernetes probes, on the registry's server and the debug server. */
  public void mountProbes(Router router) {
    router.get("/livez").handler(exactly("/livez", this::live));
    router.get("/readyz").handler(exactly("/readyz", this::readyWithServices));
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
    answer(ctx, health.current(), health.current().toJson());
  }

  private void readyWithServices(RoutingContext ctx) {
    HealthStatus status = health.current();
    JsonObject body = status.toJson();
    Map<String, Integer> seen = services.get();
    if (!seen.isEmpty()) {
      body.put(SERVICES, new JsonObject(new LinkedHashMap<>(seen)));
    }
    answer(ctx, status, body);
  }

  private static void answer(RoutingContext ctx, HealthStatus status, JsonObject body) {
    ctx.response().setStatusCode(status.healthy() ? 200 : 503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(body.encode());
  }
}
