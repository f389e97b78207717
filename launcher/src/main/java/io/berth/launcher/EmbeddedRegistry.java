package io.berth.launcher;

import io.berth.blob.BlobVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.config.RegistryConfig;
import io.berth.gateway.GatewayVerticle;
import io.berth.manifest.ManifestVerticle;
import io.berth.manifest.store.ManifestCache;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The all-in-one registry: gateway, blob and manifest verticles on one Vert.x instance's local event bus, sharing
 * one storage. Services are deployed before the gateway, so no request arrives before a service can answer it.
 */
public final class EmbeddedRegistry {
  private final Vertx vertx;
  private final List<GatewayVerticle> gateways;
  private final String gatewayDeployment;

  private EmbeddedRegistry(Vertx vertx, List<GatewayVerticle> gateways, String gatewayDeployment) {
    this.vertx = vertx;
    this.gateways = gateways;
    this.gatewayDeployment = gatewayDeployment;
  }

  public static Future<EmbeddedRegistry> start(Vertx vertx, RegistryConfig config) {
    int cores = Runtime.getRuntime().availableProcessors();
    int serviceInstances = Math.max(1, cores / 2);
    // Instances of a server on port 0 would each bind their own random port; a test registry takes one gateway.
    int gatewayInstances = config.http().port() == 0 ? 1 : cores;
    UploadSessions uploads = new UploadSessions();
    ManifestCache cache = new ManifestCache();
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> new ManifestVerticle(config, cache),
            new DeploymentOptions().setInstances(serviceInstances))
        .compose(id -> vertx.deployVerticle(() -> new BlobVerticle(config, uploads),
            new DeploymentOptions().setInstances(serviceInstances)))
        .compose(id -> vertx.deployVerticle(() -> {
          GatewayVerticle gateway = new GatewayVerticle(config, true);
          gateways.add(gateway);
          return gateway;
        }, new DeploymentOptions().setInstances(gatewayInstances)))
        .map(id -> new EmbeddedRegistry(vertx, gateways, id));
  }

  public int port() {
    return gateways.get(0).port();
  }

  /**
   * Stops taking requests, lets in-flight ones finish ({@code http.draintimeout}), then stops everything. The
   * result is a promise bound to no context: {@code vertx.close()} completes once the event loops are gone, so a
   * future composed on one of this Vert.x's contexts would never deliver that completion.
   */
  public Future<Void> stop() {
    Promise<Void> stopped = Promise.promise();
    vertx.undeploy(gatewayDeployment).onComplete(drained ->
        vertx.close().onComplete(closed -> stopped.handle(drained.failed() ? drained : closed)));
    return stopped.future();
  }
}
