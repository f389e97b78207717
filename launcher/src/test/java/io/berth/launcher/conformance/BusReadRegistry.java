package io.berth.launcher.conformance;

import io.berth.blob.BlobVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.config.RegistryConfig;
import io.berth.gateway.GatewayVerticle;
import io.berth.gateway.routes.BlobFiles;
import io.berth.launcher.RunningRegistry;
import io.berth.manifest.ManifestVerticle;
import io.berth.manifest.store.ManifestCache;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The services deployed as in the embedded registry, but with a gateway that may not send blob files itself: every
 * blob read crosses the event bus as acknowledged chunks, as it does when the gateway runs on another host.
 */
record BusReadRegistry(Vertx vertx, GatewayVerticle gateway, Path root) implements AutoCloseable {
  static BusReadRegistry start() throws Exception {
    Path root = Files.createTempDirectory("berth-bus-read");
    Vertx vertx = Vertx.vertx();
    RegistryConfig config = RunningRegistry.config(vertx, root, Map.of());
    GatewayVerticle gateway = new GatewayVerticle(config, BlobFiles.NEVER);
    vertx.deployVerticle(new ManifestVerticle(config, new ManifestCache()))
        .compose(id -> vertx.deployVerticle(new BlobVerticle(config, new UploadSessions())))
        .compose(id -> vertx.deployVerticle(gateway))
        .await(30, TimeUnit.SECONDS);
    return new BusReadRegistry(vertx, gateway, root);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + gateway.port();
  }

  @Override
  public void close() throws IOException, TimeoutException {
    vertx.close().await(30, TimeUnit.SECONDS);
    RunningRegistry.deleteTree(root);
  }
}
