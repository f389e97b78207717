package io.berth.common.config;

import io.berth.common.config.ClusterConfig.Service;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Parses Berth's {@code cluster} section. Lists are a YAML list or comma-separated text, so one environment variable
 * ({@code REGISTRY_CLUSTER_MEMBERS=10.0.0.1:5701,10.0.0.2:5701}) can carry a whole list.
 */
final class ClusterConfigParser {
  private static final List<String> SECTIONS = List.of("cluster", "cluster.kubernetes", "cluster.instances");
  private static final String SERVICE_NAMES = "gateway, blob, manifest, notification or auth";

  private ClusterConfigParser() {
  }

  static ClusterConfig cluster(ConfigReader reader, NotificationsConfig notifications, AuthServerConfig authServer) {
    for (String section : SECTIONS) {
      Object value = reader.peek(section);
      if (value != null && !(value instanceof JsonObject)) {
        throw new ConfigException(section, "expected a section of keys, got \"" + value + "\"");
      }
    }
    String name = nonBlank(reader, "cluster.name", ClusterConfig.DEFAULT_NAME);
    String host = nonBlank(reader, "cluster.host", ClusterConfig.DEFAULT_HOST);
    int port = port(reader, "cluster.port", ClusterConfig.DEFAULT_PORT, 1);
    int busPort = port(reader, "cluster.busport", 0, 0);
    List<String> members = members(reader);
    ClusterConfig.Kubernetes kubernetes = kubernetes(reader);
    if (kubernetes.enabled() && !members.isEmpty()) {
      throw new ConfigException("cluster.members",
          "not used with cluster.kubernetes.enabled, which finds the members itself; set one of the two");
    }
    String configFile = reader.string("cluster.configfile", "");
    ClusterConfig.Instances instances = new ClusterConfig.Instances(instances(reader, "cluster.instances.gateway"),
        instances(reader, "cluster.instances.blob"), instances(reader, "cluster.instances.manifest"));
    return new ClusterConfig(reader.bool("cluster.enabled", false), services(reader, notifications, authServer),
        name, host, port, busPort, members, kubernetes, configFile.isBlank() ? null : Path.of(configFile), instances);
  }

  /**
   * Named services must have their configuration; unnamed, the notification and auth services run only where their
   * configuration says there is something to do, as in the all-in-one registry.
   */
  private static Set<Service> services(ConfigReader reader, NotificationsConfig notifications,
      AuthServerConfig authServer) {
    Object value = reader.value("cluster.services");
    if (value == null) {
      Set<Service> services = EnumSet.of(Service.GATEWAY, Service.BLOB, Service.MANIFEST);
      if (!notifications.enabledEndpoints().isEmpty()) {
        services.add(Service.NOTIFICATION);
      }
      if (authServer.enabled()) {
        services.add(Service.AUTH);
      }
      return Collections.unmodifiableSet(services);
    }
    Set<Service> services = EnumSet.noneOf(Service.class);
    for (String id : ConfigValues.list("cluster.services", value)) {
      services.add(Service.of(id).orElseThrow(() -> new ConfigException("cluster.services",
          "unknown service \"" + id + "\"; expected " + SERVICE_NAMES)));
    }
    if (services.isEmpty()) {
      throw new ConfigException("cluster.services", "names no service; expected some of " + SERVICE_NAMES);
    }
    if (services.contains(Service.NOTIFICATION) && notifications.enabledEndpoints().isEmpty()) {
      throw new ConfigException("notifications.endpoints",
          "no enabled endpoint: the notification service has nothing to deliver to");
    }
    if (services.contains(Service.AUTH) && !authServer.enabled()) {
      throw new ConfigException("authserver", "section missing: the auth service has nothing to serve");
    }
    return Collections.unmodifiableSet(services);
  }

  private static List<String> members(ConfigReader reader) {
    List<String> members = reader.list("cluster.members");
    for (String member : members) {
      int colon = member.lastIndexOf(':');
      String portText = colon < 0 ? "" : member.substring(colon + 1);
      if (colon < 1 || !portText.matches("\\d{1,5}") || Integer.parseInt(portText) < 1
          || Integer.parseInt(portText) > 65535) {
        throw new ConfigException("cluster.members", "expected host:port, got \"" + member + "\"");
      }
    }
    return members;
  }

  private static ClusterConfig.Kubernetes kubernetes(ConfigReader reader) {
    boolean enabled = reader.bool("cluster.kubernetes.enabled", false);
    String serviceDns = reader.string("cluster.kubernetes.servicedns", "");
    if (enabled && serviceDns.isBlank()) {
      throw new ConfigException("cluster.kubernetes.servicedns",
          "required with cluster.kubernetes.enabled: the DNS name of the members' headless Service");
    }
    return new ClusterConfig.Kubernetes(enabled, serviceDns.isBlank() ? null : serviceDns);
  }

  private static String nonBlank(ConfigReader reader, String key, String fallback) {
    String value = reader.string(key, fallback).trim();
    if (value.isEmpty()) {
      throw new ConfigException(key, "must not be empty");
    }
    return value;
  }

  private static int port(ConfigReader reader, String key, int fallback, int lowest) {
    int port = wholeNumber(reader, key, fallback);
    if (port < lowest || port > 65535) {
      throw new ConfigException(key, "expected a port from " + lowest + " to 65535, got " + port);
    }
    return port;
  }

  private static int instances(ConfigReader reader, String key) {
    int instances = wholeNumber(reader, key, ClusterConfig.Instances.BY_CORES);
    if (reader.peek(key) != null && instances < 1) {
      throw new ConfigException(key, "expected at least 1, got " + instances);
    }
    return instances;
  }

  private static int wholeNumber(ConfigReader reader, String key, int fallback) {
    Object value = WrittenScalar.typed(reader.value(key));
    if (value == null) {
      return fallback;
    }
    String text = String.valueOf(value).trim();
    if (!text.matches("-?\\d{1,9}")) {
      throw new ConfigException(key, "expected a whole number, got \"" + value + "\"");
    }
    return Integer.parseInt(text);
  }
}
