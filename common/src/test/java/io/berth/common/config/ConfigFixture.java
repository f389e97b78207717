package io.berth.common.config;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a configuration through the real {@link ConfigLoader}: the YAML is written to {@code config.yml} in a test's
 * directory first, and a {@code null} YAML means no file, as when Berth starts with the environment alone.
 */
public final class ConfigFixture {
  private final Vertx vertx;
  private final Path dir;

  public ConfigFixture(Vertx vertx, Path dir) {
    this.vertx = vertx;
    this.dir = dir;
  }

  public RegistryConfig load(String yaml, Map<String, String> environment) throws IOException {
    return result(ConfigLoader.load(vertx, file(yaml), environment));
  }

  /** The {@link ConfigException} the configuration stops startup with. */
  public ConfigException refused(String yaml, Map<String, String> environment) throws IOException {
    return assertInstanceOf(ConfigException.class, failure(ConfigLoader.load(vertx, file(yaml), environment)));
  }

  private String file(String yaml) throws IOException {
    return yaml == null ? null : Files.writeString(dir.resolve("config.yml"), yaml).toString();
  }
}
