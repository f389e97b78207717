package io.berth.common.boot;

import com.hazelcast.cluster.Member;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which services the cluster runs as this process sees it, and how many instances of each: every member carries the
 * services it runs as a Hazelcast member attribute ({@link HazelcastConfigs}), and a member is counted from the moment
 * it joins until it leaves or is found dead, the same moments the event bus starts and stops routing to it. Read from
 * the local member list, no I/O.
 */
public final class ClusterServices {
  static final String ATTRIBUTE = "berth.services";

  private ClusterServices() {
  }

  /** Service name to instance count, sorted by name; empty on a local bus or an unknown cluster manager. */
  public static Map<String, Integer> seen(Vertx vertx) {
    Map<String, Integer> counts = new TreeMap<>();
    if (vertx.isClustered() && ((VertxInternal) vertx).clusterManager() instanceof HazelcastClusterManager manager) {
      for (Member member : manager.getHazelcastInstance().getCluster().getMembers()) {
        String services = member.getAttribute(ATTRIBUTE);
        if (services != null && !services.isEmpty()) {
          for (String service : services.split(",")) {
            counts.merge(service, 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }
}
