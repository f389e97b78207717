package io.berth.notify;

import io.berth.common.boot.LoggingSetup;
import io.berth.common.config.ConfigException;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code notification-service [config.yml]}: the webhook deliveries alone, configured by the {@code notifications}
 * section. It consumes the events published on its own event bus: on a local bus (as now) that means it delivers what
 * its queues hold from earlier runs; events from registry processes reach it once services share a clustered bus.
 */
public final class NotificationMain {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationMain.class);

  private NotificationMain() {
  }

  public static void main(String[] args) {
    if (args.length > 1) {
      LOG.error("usage: notification-service [config.yml]");
      System.exit(2);
    }
    Vertx vertx = Vertx.vertx();
    try {
      RegistryConfig config = ConfigLoader.load(vertx, args.length > 0 ? args[0] : null, System.getenv()).await();
      if (config.notifications().enabledEndpoints().isEmpty()) {
        throw new ConfigException("notifications.endpoints", "no enabled endpoint: nothing to deliver to");
      }
      LoggingSetup.apply(config.log());
      if (!config.ignored().isEmpty()) {
        LOG.warn("configuration keys not supported yet, ignored: {}", String.join(", ", config.ignored()));
      }
      vertx.deployVerticle(new NotificationVerticle(config)).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("notification service not starting: {}", e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx), "berth-notify-shutdown"));
  }

  private static void shutdown(Vertx vertx) {
    try {
      vertx.close().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("shutdown did not complete cleanly", e);
    }
  }
}
