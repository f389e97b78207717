package io.berth.common.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ClusterConfig.Instances;
import io.berth.common.config.ClusterConfig.Kubernetes;
import io.berth.common.config.ClusterConfig.Service;
import io.berth.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hazelcast member configuration Berth builds from the {@code cluster} keys, or loads from its own file. */
class HazelcastConfigsTest {
  @TempDir
  Path dir;

  private static ClusterConfig cluster(String host, List<String> members, Kubernetes kubernetes, Path file) {
    return new ClusterConfig(true, Set.of(Service.BLOB), "unit", host, 5901, 0, members, kubernetes, file,
        new Instances(Instances.BY_CORES, Instances.BY_CORES, Instances.BY_CORES));
  }

  @Test
  void membersJoinOverTcpIpOnlyOnTheConfiguredAddressAndPort() {
    Config config = HazelcastConfigs.of(cluster("127.0.0.1", List.of("127.0.0.1:5901", "127.0.0.1:5902"),
        new Kubernetes(false, null), null));

    assertEquals("unit", config.getClusterName());
    NetworkConfig network = config.getNetworkConfig();
    assertEquals(5901, network.getPort());
    assertFalse(network.isPortAutoIncrement());
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    JoinConfig join = network.getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5901", "127.0.0.1:5902"), join.getTcpIpConfig().getMembers());
  }

  @Test
  void phoneHomeAndTheShutdownHookAreOffLoggingGoesThroughSlf4jAndAKilledMemberLeavesWithinSeconds() {
    Config config = HazelcastConfigs.of(cluster("127.0.0.1", List.of(), new Kubernetes(false, null), null));

    assertEquals(Map.of(
            "hazelcast.phone.home.enabled", "false",
            "hazelcast.shutdownhook.enabled", "false",
            "hazelcast.logging.type", "slf4j",
            "hazelcast.heartbeat.interval.seconds", "1",
            "hazelcast.max.no.heartbeat.seconds", "10",
            "hazelcast.socket.bind.any", "false"),
        Map.copyOf(config.getProperties()));
  }

  @Test
  void vertxStructuresKeepABackupOnAnotherMember() {
    Config config = HazelcastConfigs.of(cluster("127.0.0.1", List.of(), new Kubernetes(false, null), null));

    assertEquals(1, config.getMultiMapConfig("__vertx.subs").getBackupCount());
    assertEquals(1, config.getMapConfig("__vertx.haInfo").getBackupCount());
    assertEquals(1, config.getMapConfig("__vertx.nodeInfo").getBackupCount());
  }

  @Test
  void kubernetesDiscoveryLooksUpTheHeadlessServiceInsteadOfAMemberList() {
    Config config = HazelcastConfigs.of(cluster("127.0.0.1", List.of(),
        new Kubernetes(true, "berth-hz.registry.svc.cluster.local"), null));

    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("berth-hz.registry.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5901", join.getKubernetesConfig().getProperty("service-port"));
  }

  @Test
  void aHostNameIsMatchedAsTheAddressItResolvesTo() {
    Config config = HazelcastConfigs.of(cluster("localhost", List.of(), new Kubernetes(false, null), null));

    assertEquals("127.0.0.1", config.getNetworkConfig().getInterfaces().getInterfaces().iterator().next());
  }

  @Test
  void aConfigFileReplacesTheBuiltConfigurationButNeverKeepsHazelcastsShutdownHook() throws IOException {
    Path file = Files.writeString(dir.resolve("hazelcast.yaml"), String.join("\n",
        "hazelcast:",
        "  cluster-name: from-file",
        "  properties:",
        "    hazelcast.shutdownhook.enabled: true",
        "  network:",
        "    port:",
        "      port: 6100",
        ""));

    Config config = HazelcastConfigs.of(cluster("127.0.0.1", List.of("127.0.0.1:5901"),
        new Kubernetes(false, null), file));

    assertEquals("from-file", config.getClusterName());
    assertEquals(6100, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
    assertEquals("false", config.getProperty("hazelcast.shutdownhook.enabled"));
  }

  @Test
  void aMissingConfigFileFailsNamingTheKey() {
    ConfigException error = assertThrows(ConfigException.class, () -> HazelcastConfigs.of(
        cluster("127.0.0.1", List.of(), new Kubernetes(false, null), dir.resolve("absent.yaml"))));

    assertTrue(error.getMessage().startsWith("cluster.configfile: cannot read "), error.getMessage());
  }
}
