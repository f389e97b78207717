package io.berth.notify;

import io.berth.common.config.NotificationsConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.notify.bus.NotificationBusHandlers;
import io.berth.notify.endpoint.EndpointPipeline;
import io.berth.notify.format.PayloadFormat;
import io.berth.notify.status.StatusRequestHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the notification service: a durable queue and a delivery per enabled endpoint, the consumer of
 * {@code registry.v1.events}, and the status server when {@code notifications.status.addr} is set. Deploy one
 * instance per queue directory: each endpoint's queue is locked by the instance that opened it.
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

  private final Metrics metrics;

  public NotificationVerticle(RegistryConfig config) {
    this(config, Metrics.disabled());
  }

  public NotificationVerticle(RegistryConfig config, Metrics metrics) {
    this.config = config.notifications();
    this.source = config.http().publicUrl() == null ? DEFAULT_SOURCE : config.http().publicUrl();
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    List<Future<EndpointPipeline>> opening = config.enabledEndpoints().stream()
        .map(endpoint -> EndpointPipeline.open(vertx, endpoint, config.queue(),
            PayloadFormat.of(endpoint.format(), source)))
        .toList();
    handlers = new NotificationBusHandlers(endpoints, config.includeReferences());
    return Future.join(opening)
        .transform(joined -> {
          // In configuration order; the ones that did open are kept so that stop() releases their directories.
          opening.stream().filter(Future::succeeded).map(Future::result).forEach(endpoints::add);
          return joined.succeeded() ? handlers.register(vertx.eventBus()) : Future.<Void>failedFuture(joined.cause());
        })
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

  private Future<HttpServer> listen() {
    statusServer = vertx.createHttpServer(new HttpServerOptions().setHost(config.status().bindHost())
        .setPort(config.status().port()));
    return statusServer.requestHandler(new StatusRequestHandler(endpoints)).listen();
  }

  private void log() {
    LOG.info("webhook notifications on [endpoints: {}, queue: {}]",
        String.join(", ", endpoints.stream().map(EndpointPipeline::name).toList()),
        config.queue().directory().toAbsolutePath());
    if (statusServer != null) {
      LOG.info("notification status listening [addr: {}:{}]", config.status().bindHost(), statusPort());
    }
  }

  @Override
  public Future<?> stop() {
    return handlers.unregister()
        .eventually(() -> Future.join(endpoints.stream().map(EndpointPipeline::close).toList()))
        .eventually(() -> statusServer == null ? Future.succeededFuture() : statusServer.close());
  }

  /** The status server's bound port (for {@code notifications.status.addr} with port 0), or -1 when it is off. */
  public int statusPort() {
    return statusServer == null ? -1 : statusServer.actualPort();
  }
}
