package io.berth.common.boot;

import java.util.HashMap;
import java.util.Map;

/**
 * A process's command line: {@code [--cluster] [--services a,b] [config.yml]}. The flags are the last layer of the
 * configuration, above the file and the {@code REGISTRY_*} environment, so they are handed on as the environment
 * variables of the keys they set.
 *
 * @param services the {@code --services} text, or null when not given
 * @param configFile the configuration file, or null
 */
public record ServiceArguments(boolean cluster, String services, String configFile) {
  static final String CLUSTER_ENABLED = "REGISTRY_CLUSTER_ENABLED";
  static final String CLUSTER_SERVICES = "REGISTRY_CLUSTER_SERVICES";

  /** {@code acceptsServices}: whether {@code --services} may be given (a module's own main runs one service). */
  public static ServiceArguments parse(String[] args, boolean acceptsServices) {
    boolean cluster = false;
    String services = null;
    String configFile = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--cluster")) {
        cluster = true;
      } else if (acceptsServices && arg.equals("--services")) {
        if (i + 1 == args.length || args[i + 1].startsWith("--")) {
          throw new IllegalArgumentException("--services needs a list of services, such as gateway,blob");
        }
        services = args[++i];
      } else if (acceptsServices && arg.startsWith("--services=")) {
        services = arg.substring("--services=".length());
      } else if (arg.startsWith("-")) {
        throw new IllegalArgumentException("unknown option " + arg);
      } else if (configFile == null) {
        configFile = arg;
      } else {
        throw new IllegalArgumentException("one configuration file only, got " + configFile + " and " + arg);
      }
    }
    return new ServiceArguments(cluster, services, configFile);
  }

  /** {@code environment} with the variables of the keys the flags set. */
  public Map<String, String> applyTo(Map<String, String> environment) {
    Map<String, String> applied = new HashMap<>(environment);
    if (cluster) {
      applied.put(CLUSTER_ENABLED, "true");
    }
    if (services != null) {
      applied.put(CLUSTER_SERVICES, services);
    }
    return applied;
  }

  /** The same command line running only {@code service}, as a module's own main does. */
  public ServiceArguments running(String service) {
    return new ServiceArguments(cluster, service, configFile);
  }
}
