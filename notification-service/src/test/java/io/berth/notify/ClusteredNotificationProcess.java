package io.berth.notify;

import io.berth.common.boot.LoggingSetup;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.TestClusters;
import io.berth.notify.delivery.ClaimTimings;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A notification instance on a Hazelcast test cluster, in a JVM of its own so that a test can kill it for real:
 * {@code <config.yml> <cluster name> <member port> <port to join> <lease ms> <poll ms>}. It logs where its status
 * server listens, as the service does, once its consumer is registered in the cluster.
 */
public final class ClusteredNotificationProcess {
  private ClusteredNotificationProcess() {
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = TestClusters.member(args[1], Integer.parseInt(args[2]),
        List.of(Integer.parseInt(args[3]))).await(60, TimeUnit.SECONDS);
    RegistryConfig config = ConfigLoader.load(vertx, args[0], Map.of()).await(20, TimeUnit.SECONDS);
    LoggingSetup.apply(config.log());
    ClaimTimings timings = new ClaimTimings(Duration.ofMillis(Long.parseLong(args[4])), Duration.ofHours(1),
        Duration.ofMillis(Long.parseLong(args[5])));
    vertx.deployVerticle(new NotificationVerticle(config, Metrics.disabled(), timings)).await(60, TimeUnit.SECONDS);
  }
}
