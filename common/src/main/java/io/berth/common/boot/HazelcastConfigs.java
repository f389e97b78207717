package io.berth.common.boot;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.properties.ClusterProperty;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ConfigException;
import java.io.FileNotFoundException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.util.stream.Collectors;

/**
 * The Hazelcast member configuration of a clustered process, built from the {@code cluster} keys: only the members
 * named (or found by Kubernetes DNS) join, never whoever answers a multicast; Vert.x's bundled multicast
 * {@code default-cluster.xml} is never used.
 */
public final class HazelcastConfigs {
  /** Vert.x's own structures, as its {@code default-cluster.xml} declares them. */
  private static final String SUBSCRIPTIONS = "__vertx.subs";
  private static final String[] VERTX_MAPS = {"__vertx.haInfo", "__vertx.nodeInfo"};

  private HazelcastConfigs() {
  }

  /** {@code cluster.configfile} when set, else the configuration built from the other keys. */
  public static Config of(ClusterConfig cluster) {
    Config config = cluster.configFile() != null ? load(cluster) : build(cluster);
    // Our SIGTERM handling drains the gateway before the member leaves; Hazelcast's hook would leave first.
    config.setProperty(ClusterProperty.SHUTDOWNHOOK_ENABLED.getName(), "false");
    // What this member runs, so that every process can say which services it sees (ClusterServices).
    config.getMemberAttributeConfig().setAttribute(ClusterServices.ATTRIBUTE, cluster.services().stream()
        .map(ClusterConfig.Service::id).sorted().collect(Collectors.joining(",")));
    if (config.getProperties().getProperty(ClusterProperty.LOGGING_TYPE.getName()) == null) {
      config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
    }
    return config;
  }

  static Config build(ClusterConfig cluster) {
    Config config = new Config().setClusterName(cluster.name());
    config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
    // A killed member is declared gone after 10 s without a heartbeat (Hazelcast's default is 60 s), so requests
    // stop going to it within seconds.
    config.setProperty(ClusterProperty.HEARTBEAT_INTERVAL_SECONDS.getName(), "1");
    config.setProperty(ClusterProperty.MAX_NO_HEARTBEAT_SECONDS.getName(), "10");
    // Bind the configured address only, so members of other clusters on other interfaces of the host never meet.
    config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");

    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(address(cluster.host()));
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.kubernetes().enabled()) {
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.kubernetes().serviceDns())
          .setProperty("service-port", Integer.toString(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    }

    config.getMultiMapConfig(SUBSCRIPTIONS).setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET);
    for (String map : VERTX_MAPS) {
      config.getMapConfig(map).setBackupCount(1);
    }
    return config;
  }

  private static Config load(ClusterConfig cluster) {
    if (!Files.isRegularFile(cluster.configFile())) {
      throw new ConfigException("cluster.configfile", "cannot read " + cluster.configFile());
    }
    try {
      return Config.loadFromFile(cluster.configFile().toFile());
    } catch (FileNotFoundException | RuntimeException e) {
      throw new ConfigException("cluster.configfile", "cannot load " + cluster.configFile() + ": " + e.getMessage());
    }
  }

  /** Hazelcast matches interfaces by IP address; a host name is resolved once, at startup. */
  private static String address(String host) {
    try {
      return InetAddress.getByName(host).getHostAddress();
    } catch (UnknownHostException e) {
      throw new ConfigException("cluster.host", "cannot resolve \"" + host + "\"");
    }
  }
}
