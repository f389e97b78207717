package io.berth.notify.endpoint;

import io.berth.common.config.NotificationsConfig;
import io.berth.common.metrics.DistributionMetrics;
import io.berth.common.metrics.Metrics;
import io.berth.notify.delivery.DeliveryClaims;
import io.berth.notify.delivery.EndpointDelivery;
import io.berth.notify.delivery.EndpointStats;
import io.berth.notify.format.PayloadFormat;
import io.berth.notify.queue.DurableQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One endpoint: its ignore rules, its durable queue, its delivery and its counters. */
public final class EndpointPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointPipeline.class);

  private final String name;
  private final EventFilter filter;
  private final DurableQueue queue;
  private final EndpointDelivery delivery;
  private final EndpointStats stats;
  private final long maxEvents;

  private EndpointPipeline(NotificationsConfig.Endpoint endpoint, DurableQueue queue, EndpointDelivery delivery,
      EndpointStats stats, long maxEvents) {
    this.name = endpoint.name();
    this.filter = new EventFilter(endpoint.ignoredMediaTypes(), endpoint.ignoredActions());
    this.queue = queue;
    this.delivery = delivery;
    this.stats = stats;
    this.maxEvents = maxEvents;
  }

  /**
   * Opens the endpoint's queue (recovering what a previous run left) in this instance's directory, adopting the queue
   * the previous layout kept directly under the queue directory, if there is one.
   */
  public static Future<EndpointPipeline> open(Vertx vertx, NotificationsConfig.Endpoint endpoint,
      NotificationsConfig.Queue queueConfig, InstanceDirectory instance, PayloadFormat format, DeliveryClaims claims,
      Metrics metrics) {
    Path legacy = QueueDirectory.of(queueConfig.directory(), endpoint.name());
    return DurableQueue.open(vertx, instance.queueOf(endpoint.name()), legacy).map(queue -> {
      EndpointStats stats = new EndpointStats(endpoint.name(), new DistributionMetrics(metrics));
      EndpointDelivery delivery = new EndpointDelivery(vertx, endpoint, format, queue, stats, queueConfig.maxEvents(),
          claims);
      return new EndpointPipeline(endpoint, queue, delivery, stats, queueConfig.maxEvents());
    });
  }

  public String name() {
    return name;
  }

  /** Starts delivering, beginning with the events a previous run left in the queue. */
  public void start() {
    delivery.start();
  }

  /** Queues the event for this endpoint unless its ignore rules filter it out. */
  public void offer(JsonObject event) {
    if (filter.ignores(event)) {
      return;
    }
    queue.append(event.encode())
        .onSuccess(sequence -> {
          stats.accepted();
          delivery.accepted();
        })
        .onFailure(failure -> {
          stats.dropped(1);
          LOG.error("event not queued, it will not be delivered [endpoint: {}, id: {}]: {}", name,
              event.getString("id"), failure.toString());
        });
  }

  /** Events accepted and not yet delivered or dropped. */
  public long pending() {
    return queue.pending();
  }

  /** The counters and queue length, as the status server shows them. */
  public JsonObject status() {
    return stats.toJson(name, queue.pending(), maxEvents);
  }

  /** Stops delivery (a request in flight finishes), then closes the queue, forcing it to disk. */
  public Future<Void> close() {
    return delivery.stop().eventually(queue::close);
  }
}
