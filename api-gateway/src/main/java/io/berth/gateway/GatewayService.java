package io.berth.gateway;

import io.berth.common.boot.Deployed;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.http.ConnectionCap;
import io.berth.common.http.ConnectionGuard;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.health.HealthMonitorVerticle;
import io.berth.gateway.health.HealthState;
import io.berth.gateway.routes.BlobFiles;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as a process runs it: the process's health monitor, {@code cluster.instances.gateway} gateway verticles
 * sharing {@code http.addr}, the monitor's {@link HealthState} and one connection count against
 * {@code http.maxconnections}, and the process's debug server when {@code http.debug.addr} is set. The same wiring
 * serves the all-in-one registry, the launcher's {@code --services} and {@link GatewayMain}.
 */
public final class GatewayService implements Deployed {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayService.class);

  private final Vertx vertx;
  private final List<GatewayVerticle> gateways;
  private final String deployment;
  private final int debugPort;

  private GatewayService(Vertx vertx, List<GatewayVerticle> gateways, String deployment, int debugPort) {
    this.vertx = vertx;
    this.gateways = gateways;
    this.deployment = deployment;
    this.debugPort = debugPort;
  }

  /**
   * Blob reads are sent zero-copy from the file when the blob service runs in this process, and, with it elsewhere,
   * when this process sees the same shared storage at the same path; else they stream over the bus.
   */
  public static Future<GatewayService> deploy(Vertx vertx, RegistryConfig config, Metrics metrics) {
    BlobFiles blobFiles = config.cluster().runs(ClusterConfig.Service.BLOB) ? BlobFiles.SAME_PROCESS
        : BlobFiles.IF_VISIBLE;
    List<GatewayVerticle> gateways = new CopyOnWriteArrayList<>();
    ConnectionGuard guard = new ConnectionGuard(config.http().connections(),
        ConnectionCap.gateway(config.http().connections()));
    HealthState health = new HealthState();
    return vertx.deployVerticle(new HealthMonitorVerticle(config.health(), health, metrics))
        .compose(monitor -> vertx.deployVerticle(() -> {
          GatewayVerticle gateway = new GatewayVerticle(config, blobFiles, metrics, guard, health);
          gateways.add(gateway);
          return gateway;
        }, new DeploymentOptions().setInstances(config.cluster().gatewayInstances(config.http()))))
        .compose(id -> DebugService.deploy(vertx, config, metrics, health)
            .map(debugPort -> new GatewayService(vertx, gateways, id, debugPort)))
        .onSuccess(gateway -> {
          gateway.logListening(config);
          guard.logLimits();
        });
  }

  private void logListening(RegistryConfig config) {
    LOG.info("Berth listening [addr: {}:{}, storage: {}]", config.http().bindHost(), port(),
        config.storage().s3() == null ? config.storage().rootDirectory().toAbsolutePath()
            : "s3 bucket " + config.storage().s3().bucket() + " " + config.storage().s3().rootDirectory());
    if (config.tls().http() != null) {
      LOG.info("TLS on [minimum: {}, client certificates: {}]", config.tls().http().minimumTls(),
          config.tls().http().clientCas().isEmpty() ? "not asked for" : "verified against http.tls.clientcas");
    }
    if (config.maintenance().readOnly()) {
      LOG.warn("read-only mode: pushes and deletes are refused until storage.maintenance.readonly.enabled is false");
    }
  }

  public int port() {
    return gateways.get(0).port();
  }

  /** The debug server's port when {@code http.debug.addr} is set, else -1. */
  public int debugPort() {
    return debugPort;
  }

  /** Stops taking requests and lets in-flight ones finish ({@code http.draintimeout}). */
  @Override
  public Future<Void> drain() {
    return vertx.undeploy(deployment);
  }
}
