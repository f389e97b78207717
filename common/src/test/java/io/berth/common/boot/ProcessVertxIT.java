package io.berth.common.boot;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ClusterConfig.Instances;
import io.berth.common.config.ClusterConfig.Kubernetes;
import io.berth.common.config.ClusterConfig.Service;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The process's Vert.x: local by default, a Hazelcast member on 127.0.0.1 with {@code cluster.enabled}. */
class ProcessVertxIT {
  private static ClusterConfig cluster(boolean enabled, String name, int port, List<String> members) {
    return new ClusterConfig(enabled, Set.of(Service.BLOB), name, "127.0.0.1", port, 0, members,
        new Kubernetes(false, null), null, new Instances(Instances.BY_CORES, Instances.BY_CORES, Instances.BY_CORES));
  }

  @Test
  void withoutClusterTheProcessHasALocalBus() throws Exception {
    Vertx vertx = result(ProcessVertx.create(cluster(false, "berth", 5701, List.of()), Metrics.disabled()));
    try {
      assertFalse(vertx.isClustered());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoMembersOnLoopbackShareOneEventBus() throws Exception {
    String name = TestClusters.newName();
    int first = FreePorts.onLoopback();
    int second = FreePorts.onLoopback();
    List<String> members = List.of("127.0.0.1:" + first, "127.0.0.1:" + second);
    Future<Vertx> one = ProcessVertx.create(cluster(true, name, first, members), Metrics.disabled());
    Future<Vertx> two = ProcessVertx.create(cluster(true, name, second, members), Metrics.disabled());
    Vertx a = one.await(60, TimeUnit.SECONDS);
    Vertx b = two.await(60, TimeUnit.SECONDS);
    try {
      assertTrue(a.isClustered());
      a.eventBus().<String>consumer("test.echo", message -> message.reply("echo " + message.body()))
          .completion().await(10, TimeUnit.SECONDS);

      String reply = b.eventBus().<String>request("test.echo", "across").await(10, TimeUnit.SECONDS).body();

      assertEquals("echo across", reply);
    } finally {
      // One after the other: members leaving together would each wait for the other to take over its partitions.
      b.close().await(30, TimeUnit.SECONDS);
      a.close().await(30, TimeUnit.SECONDS);
    }
  }
}
