package io.berth.gateway;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.health.HealthMonitorVerticle;
import io.berth.gateway.health.HealthState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The debug server ({@code http.debug.addr}) of a process: beside its gateway, or alone in a process that runs only
 * other services (blob, manifest, notification, auth), which serve no HTTP of their own and are probed there
 * ({@code /livez}, {@code /readyz}) by Kubernetes and by the image's health check.
 */
public final class DebugService {
  private static final Logger LOG = LoggerFactory.getLogger(DebugService.class);

  private DebugService() {
  }

  /** For a process without a gateway: the debug server with a health monitor of its own; its port, else -1. */
  public static Future<Integer> deployAlone(Vertx vertx, RegistryConfig config, Metrics metrics) {
    if (!config.debug().enabled()) {
      return Future.succeededFuture(-1);
    }
    HealthState health = new HealthState();
    return vertx.deployVerticle(new HealthMonitorVerticle(config.health(), health, metrics))
        .compose(id -> deploy(vertx, config, metrics, health));
  }

  /** The debug server over {@code health} when {@code http.debug.addr} is set: its port, else -1. */
  static Future<Integer> deploy(Vertx vertx, RegistryConfig config, Metrics metrics, HealthState health) {
    if (!config.debug().enabled()) {
      return Future.succeededFuture(-1);
    }
    DebugVerticle debug = new DebugVerticle(config.debug(), config.http().connections(), metrics, health);
    return vertx.deployVerticle(debug).map(id -> debug.port()).onSuccess(port ->
        LOG.info("debug server listening [addr: {}:{}, metrics: {}]", config.debug().bindHost(), port,
            config.debug().prometheusEnabled() ? config.debug().prometheusPath() : "off"));
  }
}
