package io.berth.launcher.ops;

import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The all-in-one registry with the debug server and Prometheus on, built as BerthMain builds it: Vert.x records its
 * own meters into the registry's one meter registry.
 */
record MeteredRegistry(Vertx vertx, EmbeddedRegistry registry) {
  static MeteredRegistry start(Path storage, Map<String, String> environment) throws Exception {
    Map<String, String> env = new HashMap<>(environment);
    env.putIfAbsent("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", storage.toString());
    return startOnDriver(env);
  }

  /** On the storage driver the environment configures ({@code REGISTRY_STORAGE_S3_*}), with no file system root. */
  static MeteredRegistry startOnDriver(Map<String, String> environment) throws Exception {
    Map<String, String> env = new HashMap<>(environment);
    env.put("REGISTRY_HTTP_DEBUG_ADDR", "127.0.0.1:0");
    env.put("REGISTRY_HTTP_DEBUG_PROMETHEUS_ENABLED", "true");
    Vertx bootstrap = Vertx.vertx();
    RegistryConfig config = RunningRegistry.configOnDriver(bootstrap, env);
    bootstrap.close().await();
    Metrics metrics = Metrics.forConfig(config.debug());
    Vertx vertx = metrics.vertxBuilder(new VertxOptions()).build();
    return new MeteredRegistry(vertx, EmbeddedRegistry.start(vertx, config, metrics).await(30, TimeUnit.SECONDS));
  }
}
