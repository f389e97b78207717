package io.berth.notify;

import io.berth.common.config.NotificationsConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.notify.bus.NotificationBusHandlers;
import io.berth.notify.delivery.ClaimTimings;
import io.berth.notify.delivery.DeliveryClaims;
import io.berth.notify.delivery.SharedClaims;
import io.berth.notify.endpoint.EndpointPipeline;
import io.berth.notify.endpoint.InstanceDirectory;
import io.berth.notify.format.PayloadFormat;
import io.berth.notify.status.StatusRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.shareddata.AsyncMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the notification service: this instance's directory under the queue directory, a durable queue and a delivery
 * per enabled endpoint, the consumer of {@code registry.v1.events}, and the status server when
 * {@code notifications.status.addr} is set. On a clustered bus every instance queues every event, and the deliveries
 * agree through claims in a cluster-wide map which instance sends each event ({@link SharedClaims}); on a local bus
 * there is one queue per endpoint and nothing to agree on.
 */
public final class NotificationVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationVerticle.class);
  /** The CloudEvents {@code source} when {@code http.host} does not name the registry. */
  static final String DEFAULT_SOURCE = "urn:berth:registry";

  private final NotificationsConfig config;
  private final String source;
  private final List<EndpointPipeline> endpoints = new CopyOnWriteArrayList<>();
  private NotificationBusHandlers handlers;
  private HttpServer statusServer;
  private InstanceDirectory instance;

  private final Metrics metrics;
  private final ClaimTimings claimTimings;

  public NotificationVerticle(RegistryConfig config) {
    this(config, Metrics.disabled());
  }

  public NotificationVerticle(RegistryConfig config, Metrics metrics) {
    this(config, metrics, ClaimTimings.DEFAULT);
  }

  /** With the claims' lease, done-mark and poll times: shorter ones let tests see a lease lapse. */
  public NotificationVerticle(RegistryConfig config, Metrics metrics, ClaimTimings claimTimings) {
    this.config = config.notifications();
    this.source = config.http().publicUrl() == null ? DEFAULT_SOURCE : config.http().publicUrl();
    this.metrics = metrics;
    this.claimTimings = claimTimings;
  }

  @Override
  public Future<?> start() {
    handlers = new NotificationBusHandlers(endpoints, config.includeReferences());
    return InstanceDirectory.open(vertx, config.queue().directory())
        .compose(taken -> {
          instance = taken;
          return vertx.isClustered() ? vertx.sharedData().<String, String>getAsyncMap(SharedClaims.MAP)
              : Future.<AsyncMap<String, String>>succeededFuture(null);
        })
        .compose(this::openEndpoints)
        .compose(registered -> {
          // The gauge holds its endpoint weakly; this verticle's list keeps it alive.
          endpoints.forEach(endpoint -> metrics.gauge("berth.notifications.pending",
              "Events accepted for an endpoint and not yet delivered or dropped", endpoint,
              EndpointPipeline::pending, "endpoint", endpoint.name()));
          endpoints.forEach(EndpointPipeline::start);
          return config.status().enabled() ? listen() : Future.succeededFuture();
        })
        .onSuccess(started -> log())
        .recover(failure -> stop().transform(stopped -> Future.failedFuture(failure)));
  }

  /** Opens every endpoint's queue, then consumes the events; {@code claimsMap} is null on a local bus. */
  private Future<Void> openEndpoints(AsyncMap<String, String> claimsMap) {
    List<Future<EndpointPipeline>> opening = config.enabledEndpoints().stream()
        .map(endpoint -> EndpointPipeline.open(vertx, endpoint, config.queue(), instance,
            PayloadFormat.of(endpoint.format(), source), claimsMap == null ? DeliveryClaims.none()
                : new SharedClaims(vertx, claimsMap, endpoint.name(), instance.id(), claimTimings), metrics))
        .toList();
    return Future.join(opening).transform(joined -> {
      // In configuration order; the ones that did open are kept so that stop() releases their directories.
      opening.stream().filter(Future::succeeded).map(Future::result).forEach(endpoints::add);
      return joined.succeeded() ? handlers.register(vertx.eventBus()) : Future.<Void>failedFuture(joined.cause());
    });
  }

  private Future<HttpServer> listen() {
    statusServer = vertx.createHttpServer(new HttpServerOptions().setHost(config.status().bindHost())
        .setPort(config.status().port()));
    return statusServer.requestHandler(new StatusRequestHandler(endpoints)).listen();
  }

  private void log() {
    LOG.info("webhook notifications on [endpoints: {}, queue: {}, claims: {}]",
        String.join(", ", endpoints.stream().map(EndpointPipeline::name).toList()),
        instance.path().toAbsolutePath(), vertx.isClustered() ? "cluster-wide as " + instance.id() : "none");
    if (statusServer != null) {
      LOG.info("notification status listening [addr: {}:{}]", config.status().bindHost(), statusPort());
    }
  }

  @Override
  public Future<?> stop() {
    return handlers.unregister()
        .eventually(() -> Future.join(endpoints.stream().map(EndpointPipeline::close).toList()))
        .eventually(() -> statusServer == null ? Future.succeededFuture() : statusServer.close())
        .eventually(() -> instance == null ? Future.succeededFuture() : instance.close(vertx));
  }

  /** The status server's bound port (for {@code notifications.status.addr} with port 0), or -1 when it is off. */
  public int statusPort() {
    return statusServer == null ? -1 : statusServer.actualPort();
  }
}
