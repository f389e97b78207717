package io.berth.launcher;

import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An all-in-one registry for a test: its own Vert.x, its own storage directory, 127.0.0.1 on a free port, delete
 * enabled. Extra {@code REGISTRY_*} settings go through the same loader the real launcher uses.
 */
public final class RunningRegistry implements AutoCloseable {
  private final Vertx vertx;
  private final EmbeddedRegistry registry;
  private final Path root;

  private RunningRegistry(Vertx vertx, EmbeddedRegistry registry, Path root) {
    this.vertx = vertx;
    this.registry = registry;
    this.root = root;
  }

  public static RunningRegistry start() throws Exception {
    return start(Map.of());
  }

  public static RunningRegistry start(Map<String, String> environment) throws Exception {
    return start(Files.createTempDirectory("berth-test"), environment);
  }

  public static RunningRegistry start(Path root, Map<String, String> environment) throws Exception {
    Vertx vertx = Vertx.vertx();
    RegistryConfig config = config(vertx, root, environment);
    EmbeddedRegistry registry = EmbeddedRegistry.start(vertx, config).await(30, TimeUnit.SECONDS);
    return new RunningRegistry(vertx, registry, root);
  }

  /**
   * A registry on the storage driver the environment configures ({@code REGISTRY_STORAGE_S3_*}), without the file
   * system root the other starts add; {@link #root()} is null.
   */
  public static RunningRegistry startOnDriver(Map<String, String> environment) throws Exception {
    Vertx vertx = Vertx.vertx();
    RegistryConfig config = load(vertx, environment);
    EmbeddedRegistry registry = EmbeddedRegistry.start(vertx, config).await(30, TimeUnit.SECONDS);
    return new RunningRegistry(vertx, registry, null);
  }

  /** The configuration of a test registry on {@code root}, for tests that deploy the verticles themselves. */
  public static RegistryConfig config(Vertx vertx, Path root, Map<String, String> environment) throws Exception {
    Map<String, String> env = new HashMap<>(environment);
    env.putIfAbsent("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    return load(vertx, env);
  }

  /** The configuration of a test registry on the driver the environment configures, with no file system root. */
  public static RegistryConfig configOnDriver(Vertx vertx, Map<String, String> environment) throws Exception {
    return load(vertx, environment);
  }

  private static RegistryConfig load(Vertx vertx, Map<String, String> environment) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("REGISTRY_HTTP_ADDR", "127.0.0.1:0");
    env.put("REGISTRY_STORAGE_DELETE_ENABLED", "true");
    env.put("REGISTRY_HTTP_DRAINTIMEOUT", "2s");
    env.putAll(environment);
    return ConfigLoader.load(vertx, null, env).await(30, TimeUnit.SECONDS);
  }

  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return registry.port();
  }

  /** host:port, as image references and skopeo want it. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  public String baseUrl() {
    return "http://" + hostPort();
  }

  public Path root() {
    return root;
  }

  @Override
  public void close() throws TimeoutException {
    registry.stop(30_000);
  }

  public static void deleteTree(Path path) throws IOException {
    if (Files.exists(path)) {
      try (var walk = Files.walk(path)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
