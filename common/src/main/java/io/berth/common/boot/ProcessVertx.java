package io.berth.common.boot;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.spi.properties.ClusterProperty;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusRetry;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ConfigException;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one Vert.x: on the local event bus, or, with {@code cluster.enabled}, a member of the Hazelcast
 * cluster whose event bus listens on {@code cluster.host}:{@code cluster.busport}. Either way it records its own
 * meters into the process's {@link Metrics}.
 */
public final class ProcessVertx {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessVertx.class);
  private static final String HAZELCAST_LOGGING = ClusterProperty.LOGGING_TYPE.getName();
  /** The member attribute in which vertx-hazelcast keeps the Vert.x node id (not the Hazelcast member UUID). */
  private static final String VERTX_NODE_ID = "__vertx.nodeId";

  private ProcessVertx() {
  }

  /** Throws {@link ConfigException} for a cluster configuration that cannot be used, or a member port in use. */
  public static Future<Vertx> create(ClusterConfig cluster, Metrics metrics) {
    if (!cluster.enabled()) {
      return Future.succeededFuture(metrics.vertxBuilder(new VertxOptions()).build());
    }
    // Hazelcast's static loggers read the system property, not the member configuration; without it they write
    // through java.util.logging, past the process's log format and level.
    if (System.getProperty(HAZELCAST_LOGGING) == null) {
      System.setProperty(HAZELCAST_LOGGING, "slf4j");
    }
    Config config = HazelcastConfigs.of(cluster);
    if (cluster.configFile() == null) {
      requireFreePort(config);
    }
    HazelcastClusterManager manager = new HazelcastClusterManager(config);
    VertxOptions options = new VertxOptions()
        .setEventBusOptions(new EventBusOptions().setHost(cluster.host()).setPort(cluster.busPort()));
    return metrics.vertxBuilder(options).withClusterManager(manager).buildClustered()
        .onSuccess(vertx -> watchMembership(vertx, cluster, manager));
  }

  /** Hazelcast reports a busy member port with two stack traces; one line that names the key says it better. */
  private static void requireFreePort(Config config) {
    String address = config.getNetworkConfig().getInterfaces().getInterfaces().iterator().next();
    int port = config.getNetworkConfig().getPort();
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(address, port));
    } catch (IOException e) {
      throw new ConfigException("cluster.port", address + ":" + port + " is in use (" + e.getMessage() + ")");
    }
  }

  /**
   * Logs the join and every later change of membership, so an operator (or a test) can see the cluster form and a
   * member leave, and tells this process's bus clients of each departure ({@link Addresses#MEMBER_LEFT}): a member
   * killed mid-request never answers, and Vert.x leaves such a request waiting for its timeout. The listener is added
   * before the first count is read, so no change goes unlogged.
   */
  private static void watchMembership(Vertx vertx, ClusterConfig cluster, HazelcastClusterManager manager) {
    Cluster members = manager.getHazelcastInstance().getCluster();
    members.addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("cluster member joined [member: {}, members: {}]", event.getMember().getAddress(),
            event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.info("cluster member left [member: {}, members: {}]", event.getMember().getAddress(),
            event.getMembers().size());
        BusRetry.memberLeft();
        String node = event.getMember().getAttribute(VERTX_NODE_ID);
        vertx.eventBus().publish(Addresses.MEMBER_LEFT, node != null ? node : event.getMember().getUuid().toString(),
            new DeliveryOptions().setLocalOnly(true));
      }
    });
    NodeInfo bus = manager.getNodeInfo();
    LOG.info("joined cluster [name: {}, member: {}, event bus: {}:{}, members: {}]", cluster.name(),
        members.getLocalMember().getAddress(), bus.host(), bus.port(), members.getMembers().size());
  }
}
