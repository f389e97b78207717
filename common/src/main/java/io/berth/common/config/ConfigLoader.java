package io.berth.common.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the configuration in distribution's layers: built-in defaults, then the YAML file (read with Vert.x
 * Config), then {@code REGISTRY_*} environment variables; then parses and validates it once.
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
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml")
        .setConfig(new JsonObject().put("path", path));
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml));
    return retriever.getConfig()
        .recover(failure -> Future.failedFuture(
            new ConfigException("configuration file", "cannot parse " + path + ": " + failure.getMessage())))
        .onComplete(done -> retriever.close());
  }
}
