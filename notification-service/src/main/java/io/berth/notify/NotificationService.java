package io.berth.notify;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The notification service as a process runs it: one {@link NotificationVerticle}, which holds the endpoints' queue
 * directories. The same wiring serves the all-in-one registry, the launcher's {@code --services} and
 * {@link NotificationMain}.
 */
public final class NotificationService {
  private NotificationService() {
  }

  public static Future<Void> deploy(Vertx vertx, RegistryConfig config, Metrics metrics) {
    return vertx.deployVerticle(new NotificationVerticle(config, metrics)).mapEmpty();
  }
}
