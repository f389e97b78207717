package io.berth.gateway;

import io.berth.common.boot.ClusterServices;
import io.berth.common.bus.BusClient;
import io.berth.common.config.HttpConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.http.ConnectionCap;
import io.berth.common.http.ConnectionGuard;
import io.berth.common.metrics.Metrics;
import io.berth.common.tls.TlsServerOptions;
import io.berth.gateway.auth.AccessControl;
import io.berth.gateway.bus.BlobServiceClient;
import io.berth.gateway.bus.ManifestServiceClient;
import io.berth.gateway.health.HealthGate;
import io.berth.gateway.health.HealthRoutes;
import io.berth.gateway.health.HealthState;
import io.berth.gateway.http.AccessLog;
import io.berth.gateway.http.ClientRequests;
import io.berth.gateway.http.OciFailureHandler;
import io.berth.gateway.http.ReadableTargets;
import io.berth.gateway.http.RegistryHeaders;
import io.berth.gateway.http.RequestMetrics;
import io.berth.gateway.http.Urls;
import io.berth.gateway.routes.BaseRoutes;
import io.berth.gateway.routes.BlobFiles;
import io.berth.gateway.routes.BlobRoutes;
import io.berth.gateway.routes.CorsPreflight;
import io.berth.gateway.routes.ListingRoutes;
import io.berth.gateway.routes.ManifestRoutes;
import io.berth.gateway.routes.UploadRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/**
 * Wires the gateway: the probes, request metrics, the health gate (503 for every request while a health check
 * fails), CORS preflights, access control (refusing writes in read-only mode), the {@code /v2/} routes, the failure
 * handler and the HTTP server, with TLS when {@code http.tls} is configured and guarded against idle and slow clients
 * and too many connections ({@code http.timeouts}, {@code http.maxconnections}).
 */
public final class GatewayVerticle extends VerticleBase {
  private final RegistryConfig config;
  private final BlobFiles blobFiles;
  private final Metrics metrics;
  private final ConnectionGuard guard;
  private final HealthState health;
  private HttpServer server;

  public GatewayVerticle(RegistryConfig config, BlobFiles blobFiles) {
    this(config, blobFiles, Metrics.disabled());
  }

  /**
   * A gateway whose health nothing checks (it always reads healthy) and that counts its connections on its own: tests
   * that bring their own services.
   */
  public GatewayVerticle(RegistryConfig config, BlobFiles blobFiles, Metrics metrics) {
    this(config, blobFiles, metrics, new ConnectionGuard(config.http().connections(),
        ConnectionCap.gateway(config.http().connections())), new HealthState());
  }

  /**
   * {@code blobFiles}: whether blob reads may be sent zero-copy from their files; {@code guard}: the timeouts and the
   * connection cap every gateway instance of the process shares; {@code health}: the process's health, which a
   * {@link io.berth.gateway.health.HealthMonitorVerticle} keeps current.
   */
  public GatewayVerticle(RegistryConfig config, BlobFiles blobFiles, Metrics metrics, ConnectionGuard guard,
      HealthState health) {
    this.config = config;
    this.blobFiles = blobFiles;
    this.metrics = metrics;
    this.guard = guard;
    this.health = health;
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = guard.configure(new HttpServerOptions()
        .setHost(config.http().bindHost())
        .setPort(config.http().port())
        .setHandle100ContinueAutomatically(true)
        .setTcpNoDelay(true));
    Future<AccessControl> access = AccessControl.load(vertx, config.auth(), metrics)
        .map(loaded -> config.maintenance().readOnly() ? loaded.readOnly() : loaded);
    Future<HttpServerOptions> serverOptions = TlsServerOptions.apply(vertx, options, config.tls().http());
    return Future.all(access, serverOptions).compose(ready -> {
      server = vertx.createHttpServer(serverOptions.result());
      return server.connectionHandler(guard::accept).requestHandler(router(access.result())).listen();
    });
  }

  private Router router(AccessControl access) {
    HttpConfig http = config.http();
    BusClient bus = new BusClient(vertx.eventBus(), BusClient.DEFAULT_TIMEOUT_MS, metrics);
    BlobServiceClient blobs = new BlobServiceClient(bus);
    ManifestServiceClient manifests = new ManifestServiceClient(bus);
    Urls urls = new Urls(http);

    Router router = Router.router(vertx);
    // Before the first route with a path: matching one decodes the path, which throws on a malformed escape.
    router.route().handler(new ReadableTargets());
    // Probes first: they need no registry headers, and counting them would swamp the request metrics.
    new HealthRoutes(health, () -> ClusterServices.seen(vertx)).mountProbes(router);
    if (metrics.enabled()) {
      router.route().handler(new RequestMetrics(metrics));
    }
    router.route().handler(new ClientRequests());
    router.route().handler(new AccessLog());
    // As distribution's health.Handler: while a check fails, every request is refused before authentication.
    router.route().handler(new HealthGate(health));
    router.route().handler(new RegistryHeaders(http.headers(), http.prefix()));
    // CORS preflights carry no credentials: answered before any route's access control.
    new CorsPreflight(http.prefix()).mount(router);
    new BaseRoutes(http.prefix(), access).mount(router);
    new ListingRoutes(http.prefix(), manifests, urls, access).mount(router);
    new ManifestRoutes(http.prefix(), manifests, urls, access).mount(router);
    new UploadRoutes(http.prefix(), vertx, blobs, urls, access).mount(router);
    new BlobRoutes(vertx, http.prefix(), blobs, blobFiles, access).mount(router);
    OciFailureHandler failures = new OciFailureHandler();
    router.route().failureHandler(failures);
    router.errorHandler(404, failures).errorHandler(405, failures);
    return router;
  }

  /** Lets in-flight requests finish, up to {@code http.draintimeout}, before the server closes. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture()
        : server.shutdown(config.http().drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The port actually bound, for configurations that ask for port 0. */
  public int port() {
    return server.actualPort();
  }
}
