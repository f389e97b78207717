package io.berth.notify;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.berth.common.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;

/**
 * Clustered Vert.x for tests: Hazelcast bound to 127.0.0.1 on a port the test picked, TCP-IP join, multicast and
 * auto-detection off, phone-home off, a cluster name of the test's own, and failure detection quick enough that a
 * killed member leaves within seconds. The event bus listens on 127.0.0.1 too.
 */
final class TestCluster {
  private TestCluster() {
  }

  static String newName() {
    return "berth-test-" + UUID.randomUUID();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** A member on {@code port} that joins the members on {@code members} (itself allowed among them). */
  static Config hazelcast(String clusterName, int port, List<Integer> members) {
    // Vert.x's own file, for the maps it needs (subscriptions, node info); its multicast join is switched off below.
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    NetworkConfig network = config.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(members.stream().map(member -> "127.0.0.1:" + member).toList());
    return config;
  }

  static Future<Vertx> member(Config hazelcast) {
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1").setPort(0)))
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered();
  }

  /** Waits until {@code vertx} sees {@code count} consumers of {@code address} in the cluster, so a publish reaches all. */
  static void awaitConsumers(Vertx vertx, String address, int count) {
    Eventually.await(vertx, () -> {
      Promise<List<RegistrationInfo>> registrations = Promise.promise();
      ((VertxInternal) vertx).clusterManager().getRegistrations(address, registrations);
      return registrations.future();
    }, registrations -> registrations.size() == count);
  }
}
