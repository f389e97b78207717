package io.berth.common.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration in distribution's layers: built-in defaults, then the YAML file ({@link ConfigYaml}, so a
 * value keeps the text it was written as), then {@code REGISTRY_*} environment variables; then parses and validates
 * it once.
 */
public final class ConfigLoader {
  private ConfigLoader() {
  }

  /** {@code file} may be null: then {@code REGISTRY_CONFIGURATION_PATH} names the file, or there is none. */
  public static Future<RegistryConfig> load(Vertx vertx, String file, Map<String, String> environment) {
    return merged(vertx, file, environment).compose(json -> {
      try {
        return Future.succeededFuture(ConfigParser.parse(json));
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** The file with the environment's overrides applied, before parsing: what {@link #load} parses. */
  public static Future<JsonObject> merged(Vertx vertx, String file, Map<String, String> environment) {
    String path = file != null ? file : environment.get(EnvironmentOverrides.CONFIGURATION_PATH);
    return readFile(vertx, path).map(json -> EnvironmentOverrides.apply(json, environment));
  }

  private static Future<JsonObject> readFile(Vertx vertx, String path) {
    if (path == null) {
      return Future.succeededFuture(new JsonObject());
    }
    if (!Files.isRegularFile(Path.of(path))) {
      return Future.failedFuture(new ConfigException("configuration file", "cannot read " + path));
    }
    return vertx.<JsonObject>executeBlocking(
            () -> ConfigYaml.document(new String(Files.readAllBytes(Path.of(path)), StandardCharsets.UTF_8)), false)
        .recover(failure -> Future.failedFuture(
            new ConfigException("configuration file", "cannot parse " + path + ": " + failure.getMessage())));
  }
}
