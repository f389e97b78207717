package io.berth.launcher.deploy;

import io.berth.common.config.ConfigLoader;
import io.berth.common.config.EnvironmentOverrides;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The configuration a container runs with, read by the launcher's own loader (file, then {@code REGISTRY_*}
 * variables), and the merged key tree for the {@code cluster:} keys, which have no typed record on every branch.
 */
record EffectiveConfig(RegistryConfig parsed, JsonObject fromFile, JsonObject merged) {
  static final int DEFAULT_CLUSTER_PORT = 5701;

  /** Throws the loader's {@link io.berth.common.config.ConfigException} for a value it refuses. */
  static EffectiveConfig load(Vertx vertx, Path file, Map<String, String> environment) throws Exception {
    RegistryConfig parsed = ConfigLoader.load(vertx, file == null ? null : file.toString(), environment)
        .await(20, TimeUnit.SECONDS);
    JsonObject fromFile = file == null ? new JsonObject()
        : new JsonObject(Yml.map(Yml.documents(file).stream().findFirst().orElse(Map.of())));
    return new EffectiveConfig(parsed, fromFile.copy(), EnvironmentOverrides.apply(fromFile, environment));
  }

  int clusterPort() {
    Object port = merged.getJsonObject("cluster", new JsonObject()).getValue("port");
    return port == null ? DEFAULT_CLUSTER_PORT : Integer.parseInt(String.valueOf(port));
  }

  /** The ports a process with this command line listens on, each with the key that sets it. */
  Map<Integer, String> listening(ServeCommand serve) {
    Map<Integer, String> ports = new TreeMap<>();
    if (serve.names("gateway")) {
      ports.put(parsed.http().port(), "http.addr");
    }
    if (serve.names("auth") && parsed.authServer().enabled()) {
      ports.put(parsed.authServer().port(), "authserver.addr");
    }
    if (serve.names("notification") && parsed.notifications().status().enabled()) {
      ports.put(parsed.notifications().status().port(), "notifications.status.addr");
    }
    if (parsed.debug().enabled()) {
      ports.put(parsed.debug().port(), "http.debug.addr");
    }
    if (serve.cluster()) {
      ports.put(clusterPort(), "cluster.port");
    }
    return ports;
  }

  /**
   * The ignored keys, each with where it came from: the variables that set it or keys below it (an unread section is
   * reported whole), and the file.
   */
  List<String> ignoredWithOrigin(Map<String, String> environment) {
    return parsed.ignored().stream().map(key -> {
      String prefix = "REGISTRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
      List<String> origins = new ArrayList<>(new TreeSet<>(environment.keySet()).stream()
          .filter(name -> name.equals(prefix) || name.startsWith(prefix + "_")).toList());
      if (origins.isEmpty() || inFile(key)) {
        origins.add("the file");
      }
      return key + " (from " + String.join(", ", origins) + ")";
    }).toList();
  }

  private boolean inFile(String key) {
    Object node = fromFile;
    for (String part : key.replaceAll("\\[\\d+]", "").split("\\.")) {
      if (!(node instanceof JsonObject object) || !object.containsKey(part)) {
        return false;
      }
      node = object.getValue(part);
    }
    return true;
  }
}
