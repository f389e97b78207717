package io.berth.common.testing;

import io.berth.common.boot.ProcessVertx;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ClusterConfig.Instances;
import io.berth.common.config.ClusterConfig.Kubernetes;
import io.berth.common.config.ClusterConfig.Service;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Clustered Vert.x members for tests, built as a clustered process builds its own ({@link ProcessVertx}, the shipped
 * Hazelcast configuration), on 127.0.0.1 with ports the test picked and a cluster name of the test's own, so that no
 * other test's members can join.
 */
public final class TestClusters {
  private TestClusters() {
  }

  public static String newName() {
    return "berth-test-" + UUID.randomUUID();
  }

  /** A free port on 127.0.0.1 for each member of a cluster. */
  public static List<Integer> freePorts(int count) {
    return IntStream.range(0, count).mapToObj(i -> FreePorts.onLoopback()).toList();
  }

  /** The member on {@code port} of the cluster {@code name}, joining the members on {@code ports}. */
  public static Future<Vertx> member(String name, int port, List<Integer> ports) {
    ClusterConfig cluster = new ClusterConfig(true, Set.of(Service.values()), name, "127.0.0.1", port, 0,
        ports.stream().map(member -> "127.0.0.1:" + member).toList(), new Kubernetes(false, null), null,
        new Instances(Instances.BY_CORES, Instances.BY_CORES, Instances.BY_CORES));
    return ProcessVertx.create(cluster, Metrics.disabled());
  }

  /** Waits until {@code vertx} sees {@code count} consumers of {@code address} in the cluster, so a publish reaches all. */
  public static void awaitConsumers(Vertx vertx, String address, int count) {
    Eventually.await(vertx, () -> {
      Promise<List<RegistrationInfo>> registrations = Promise.promise();
      ((VertxInternal) vertx).clusterManager().getRegistrations(address, registrations);
      return registrations.future();
    }, registrations -> registrations.size() == count);
  }
}
