package io.berth.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.ClusterConfig.Instances;
import io.berth.common.config.ClusterConfig.Kubernetes;
import io.berth.common.config.ClusterConfig.Service;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Berth's {@code cluster} section, read through the same loader as the rest of the configuration. */
@ExtendWith(VertxExtension.class)
class ClusterConfigTest {
  private static final int CORES = Runtime.getRuntime().availableProcessors();
  private ConfigFixture fixture;

  @BeforeEach
  void readThroughTheLoader(Vertx vertx, @TempDir Path dir) {
    fixture = new ConfigFixture(vertx, dir);
  }

  @Test
  void withoutTheSectionTheProcessRunsGatewayBlobAndManifestOnTheLocalBus() throws IOException {
    ClusterConfig cluster = fixture.load("version: 0.1\n", Map.of()).cluster();

    assertEquals(new ClusterConfig(false, Set.of(Service.GATEWAY, Service.BLOB, Service.MANIFEST), "berth",
        "127.0.0.1", 5701, 0, List.of(), new Kubernetes(false, null), null,
        new Instances(Instances.BY_CORES, Instances.BY_CORES, Instances.BY_CORES)), cluster);
  }

  @Test
  void notificationAndAuthRunByDefaultOnlyWhereTheirSectionsAreConfigured() throws IOException {
    ClusterConfig cluster = fixture.load("""
        version: 0.1
        notifications:
          endpoints:
            - name: ci
              url: http://127.0.0.1:9/hook
        authserver:
          addr: 127.0.0.1:0
        """, Map.of()).cluster();

    assertEquals(List.of(Service.AUTH, Service.NOTIFICATION, Service.MANIFEST, Service.BLOB, Service.GATEWAY),
        List.copyOf(cluster.services()));
  }

  @Test
  void theSectionSetsEveryKeyFromYamlListsAndIsNotReportedAsIgnored() throws IOException {
    RegistryConfig config = fixture.load("""
        version: 0.1
        cluster:
          enabled: true
          services: [gateway, manifest]
          name: staging
          host: 10.1.2.3
          port: 5801
          busport: 5802
          members:
            - 10.1.2.3:5801
            - 10.1.2.4:5801
          configfile: /etc/berth/hazelcast.yaml
          instances:
            gateway: 3
            blob: 2
            manifest: 5
        """, Map.of());

    assertEquals(new ClusterConfig(true, Set.of(Service.GATEWAY, Service.MANIFEST), "staging", "10.1.2.3", 5801,
        5802, List.of("10.1.2.3:5801", "10.1.2.4:5801"), new Kubernetes(false, null),
        Path.of("/etc/berth/hazelcast.yaml"), new Instances(3, 2, 5)), config.cluster());
    assertEquals(List.of(), config.ignored());
  }

  @Test
  void environmentVariablesCarryListsAsCommaSeparatedText() throws IOException {
    ClusterConfig cluster = fixture.load("version: 0.1\n", Map.of(
        "REGISTRY_CLUSTER_ENABLED", "true",
        "REGISTRY_CLUSTER_SERVICES", "gateway,blob",
        "REGISTRY_CLUSTER_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702,",
        "REGISTRY_CLUSTER_PORT", "5702",
        "REGISTRY_CLUSTER_BUSPORT", "6000",
        "REGISTRY_CLUSTER_NAME", "test-cluster",
        "REGISTRY_CLUSTER_INSTANCES_BLOB", "4")).cluster();

    assertTrue(cluster.enabled());
    assertEquals(Set.of(Service.GATEWAY, Service.BLOB), cluster.services());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), cluster.members());
    assertEquals(5702, cluster.port());
    assertEquals(6000, cluster.busPort());
    assertEquals("test-cluster", cluster.name());
    assertEquals(4, cluster.blobInstances());
  }

  @Test
  void environmentVariablesOverrideTheFileAndMayIndexAList() throws IOException {
    ClusterConfig cluster = fixture.load("""
        version: 0.1
        cluster:
          services: [auth]
          members: [10.0.0.1:5701]
        authserver:
          addr: 127.0.0.1:0
        """, Map.of("REGISTRY_CLUSTER_SERVICES", "blob", "REGISTRY_CLUSTER_MEMBERS_1", "10.0.0.2:5701")).cluster();

    assertEquals(Set.of(Service.BLOB), cluster.services());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), cluster.members());
  }

  @Test
  void kubernetesDiscoveryNamesTheHeadlessService() throws IOException {
    ClusterConfig cluster = fixture.load("version: 0.1\n", Map.of("REGISTRY_CLUSTER_KUBERNETES_ENABLED", "true",
        "REGISTRY_CLUSTER_KUBERNETES_SERVICEDNS", "berth-hz.registry.svc.cluster.local")).cluster();

    assertEquals(new Kubernetes(true, "berth-hz.registry.svc.cluster.local"), cluster.kubernetes());
  }

  @Test
  void instancesFollowTheCoresUnlessSetAndOneGatewayServesPortZero() throws IOException {
    RegistryConfig byCores = fixture.load("version: 0.1\n", Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:5000"));
    RegistryConfig set = fixture.load("version: 0.1\n", Map.of("REGISTRY_CLUSTER_INSTANCES_GATEWAY", "3",
        "REGISTRY_CLUSTER_INSTANCES_BLOB", "2", "REGISTRY_CLUSTER_INSTANCES_MANIFEST", "7"));

    assertEquals(CORES, byCores.cluster().gatewayInstances(byCores.http()));
    assertEquals(1, byCores.cluster().gatewayInstances(byCores.http().withAddress("127.0.0.1", 0)));
    assertEquals(Math.max(1, CORES / 2), byCores.cluster().blobInstances());
    assertEquals(Math.max(1, CORES / 2), byCores.cluster().manifestInstances());
    assertEquals(3, set.cluster().gatewayInstances(set.http().withAddress("127.0.0.1", 0)));
    assertEquals(2, set.cluster().blobInstances());
    assertEquals(7, set.cluster().manifestInstances());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "cluster.enabled            | sometimes",
      "cluster.services           | gateway,cache",
      "cluster.services           | ' , '",
      "cluster.name               | ' '",
      "cluster.host               | ''",
      "cluster.port               | 0",
      "cluster.port               | 65536",
      "cluster.port               | five",
      "cluster.busport            | -1",
      "cluster.members            | 127.0.0.1",
      "cluster.members            | 127.0.0.1:5701,:5702",
      "cluster.members            | 127.0.0.1:99999",
      "cluster.instances.gateway  | 0",
      "cluster.instances.blob     | -2",
      "cluster.instances.manifest | many"})
  void aBadValueFailsNamingItsKey(String key, String value) throws IOException {
    String variable = "REGISTRY_" + key.replace('.', '_').toUpperCase(Locale.ROOT);

    ConfigException error = fixture.refused("version: 0.1\n", Map.of(variable, value));

    assertTrue(error.getMessage().startsWith(key + ": "), error.getMessage());
  }

  @Test
  void anUnknownServiceIsNamedWithTheKnownOnes() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\n", Map.of("REGISTRY_CLUSTER_SERVICES", "gateway,cache"));

    assertEquals("cluster.services: unknown service \"cache\"; expected gateway, blob, manifest, notification or auth",
        error.getMessage());
  }

  @Test
  void namingTheNotificationServiceWithoutAnEnabledEndpointFailsNamingTheEndpoints() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\n", Map.of("REGISTRY_CLUSTER_SERVICES", "notification"));

    assertTrue(error.getMessage().startsWith("notifications.endpoints: no enabled endpoint"), error.getMessage());
  }

  @Test
  void namingTheAuthServiceWithoutTheAuthserverSectionFailsNamingTheSection() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\n", Map.of("REGISTRY_CLUSTER_SERVICES", "gateway,auth"));

    assertTrue(error.getMessage().startsWith("authserver: section missing"), error.getMessage());
  }

  @Test
  void kubernetesDiscoveryNeedsTheServiceDnsName() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\n", Map.of("REGISTRY_CLUSTER_KUBERNETES_ENABLED", "true"));

    assertTrue(error.getMessage().startsWith("cluster.kubernetes.servicedns: required"), error.getMessage());
  }

  @Test
  void kubernetesDiscoveryAndAMemberListAreRefusedTogether() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\n", Map.of("REGISTRY_CLUSTER_KUBERNETES_ENABLED", "true",
        "REGISTRY_CLUSTER_KUBERNETES_SERVICEDNS", "berth-hz", "REGISTRY_CLUSTER_MEMBERS", "10.0.0.1:5701"));

    assertTrue(error.getMessage().startsWith("cluster.members: not used with cluster.kubernetes.enabled"),
        error.getMessage());
  }

  @Test
  void aListThatIsASectionFailsNamingTheKey() throws IOException {
    ConfigException error = fixture.refused("""
        version: 0.1
        cluster:
          members:
            first: 10.0.0.1:5701
        """, Map.of());

    assertTrue(error.getMessage().startsWith("cluster.members: expected a list"), error.getMessage());
  }

  @Test
  void aClusterKeyThatIsNoSectionFailsNamingIt() throws IOException {
    ConfigException error = fixture.refused("version: 0.1\ncluster: yes\n", Map.of());

    assertTrue(error.getMessage().startsWith("cluster: expected a section of keys"), error.getMessage());
  }
}
