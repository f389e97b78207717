package io.berth.common.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Berth's {@code cluster} section: whether this process joins the others on a clustered event bus (Hazelcast), which
 * services it runs, how its member finds the others, and how many verticle instances each service deploys (in every
 * mode). {@code configFile}, when set, is a Hazelcast file that replaces the member configuration built from
 * {@code name}, {@code port}, {@code members} and {@code kubernetes}; {@code host} and {@code busPort} still place the
 * event bus.
 */
public record ClusterConfig(boolean enabled, Set<Service> services, String name, String host, int port, int busPort,
    List<String> members, Kubernetes kubernetes, Path configFile, Instances instances) {

  public static final String DEFAULT_NAME = "berth";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;

  /** The services a process can run, in the order a process deploys them. */
  public enum Service {
    AUTH, NOTIFICATION, MANIFEST, BLOB, GATEWAY;

    /** The name in {@code cluster.services} and {@code --services}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Service> of(String id) {
      return Arrays.stream(values()).filter(service -> service.id().equals(id)).findFirst();
    }
  }

  /** Hazelcast's Kubernetes discovery in DNS-lookup mode: {@code serviceDns} names a headless Service. */
  public record Kubernetes(boolean enabled, String serviceDns) {
  }

  /** Verticle instances per process; {@link #BY_CORES} takes the default, which depends on the machine. */
  public record Instances(int gateway, int blob, int manifest) {
    public static final int BY_CORES = 0;
  }

  public boolean runs(Service service) {
    return services.contains(service);
  }

  /**
   * One per core; one when the server binds port 0, where each instance of a server would bind a random port of its
   * own instead of sharing one.
   */
  public int gatewayInstances(HttpConfig http) {
    if (instances.gateway() != Instances.BY_CORES) {
      return instances.gateway();
    }
    return http.port() == 0 ? 1 : cores();
  }

  /** Half the cores, at least one: blob and manifest services share the machine with the gateway. */
  public int blobInstances() {
    return instances.blob() != Instances.BY_CORES ? instances.blob() : halfTheCores();
  }

  public int manifestInstances() {
    return instances.manifest() != Instances.BY_CORES ? instances.manifest() : halfTheCores();
  }

  private static int halfTheCores() {
    return Math.max(1, cores() / 2);
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
