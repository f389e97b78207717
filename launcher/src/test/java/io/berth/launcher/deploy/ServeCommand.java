package io.berth.launcher.deploy;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The launcher's {@code serve} command line as DESIGN §4e defines it: {@code serve [--cluster] [--services
 * gateway,blob,…] [config.yml]}, in that order; {@code --services} only with {@code --cluster}.
 */
record ServeCommand(boolean cluster, List<String> services, String configPath) {
  static final List<String> KNOWN_SERVICES = List.of("gateway", "blob", "manifest", "notification", "auth");

  /** The command, or an {@link IllegalArgumentException} saying what is wrong with the arguments. */
  static ServeCommand parse(List<String> arguments) {
    if (arguments.isEmpty() || !arguments.get(0).equals("serve")) {
      throw new IllegalArgumentException("expected the serve command first, got " + arguments);
    }
    int next = 1;
    boolean cluster = next < arguments.size() && arguments.get(next).equals("--cluster");
    if (cluster) {
      next++;
    }
    List<String> services = List.of();
    if (next < arguments.size() && arguments.get(next).equals("--services")) {
      if (!cluster) {
        throw new IllegalArgumentException("--services is only accepted after --cluster");
      }
      if (next + 1 >= arguments.size()) {
        throw new IllegalArgumentException("--services needs a comma-separated list of services");
      }
      services = services(arguments.get(next + 1));
      next += 2;
    }
    String config = null;
    if (next < arguments.size()) {
      config = arguments.get(next);
      if (config.startsWith("-")) {
        throw new IllegalArgumentException("unknown option or option out of order: " + config
            + " (the form is serve [--cluster] [--services list] [config.yml])");
      }
      next++;
    }
    if (next < arguments.size()) {
      throw new IllegalArgumentException("unexpected arguments after the config file: "
          + arguments.subList(next, arguments.size()));
    }
    return new ServeCommand(cluster, services, config);
  }

  private static List<String> services(String list) {
    Set<String> services = new LinkedHashSet<>();
    for (String service : Arrays.stream(list.split(",")).map(String::trim).toList()) {
      if (!KNOWN_SERVICES.contains(service)) {
        throw new IllegalArgumentException("unknown service \"" + service + "\" in --services " + list
            + "; known: " + String.join(", ", KNOWN_SERVICES));
      }
      if (!services.add(service)) {
        throw new IllegalArgumentException("service " + service + " named twice in --services " + list);
      }
    }
    return List.copyOf(services);
  }

  /** Whether this process runs the service: named, or, without {@code --services}, all of them. */
  boolean names(String service) {
    return services.isEmpty() || services.contains(service);
  }
}
