package io.berth.notify;

import io.berth.common.boot.ServiceMain;
import io.berth.common.config.ClusterConfig;

/**
 * {@code notification-service [--cluster] [config.yml]}: the webhook deliveries alone, configured by the
 * {@code notifications} section. Clustered, it receives the events the other processes publish; on a local bus it
 * delivers what its queues hold from earlier runs.
 */
public final class NotificationMain {
  private NotificationMain() {
  }

  public static void main(String[] args) {
    ServiceMain.forUndrainedService("notification-service", ClusterConfig.Service.NOTIFICATION,
        NotificationService::deploy).run(args);
  }
}
