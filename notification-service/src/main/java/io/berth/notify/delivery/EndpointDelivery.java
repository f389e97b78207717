package io.berth.notify.delivery;

import io.berth.common.config.NotificationsConfig;
import io.berth.notify.format.PayloadFormat;
import io.berth.notify.queue.DurableQueue;
import io.berth.notify.queue.QueuedEvent;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one endpoint's queue in order, one event per request: the head event is retried until the endpoint takes
 * it (with {@link RetryPolicy}'s waits), then removed from the queue, then the next one is sent. A restart resumes at
 * the first event not known to be delivered, so an event whose POST succeeded just before a crash is sent again:
 * receivers drop it by its {@code id}.
 *
 * <p>The bound: before each attempt, and whenever an event arrives while the head waits for a retry, the oldest
 * undelivered events beyond {@code maxEvents} are dropped, counted and logged at WARN. While a request is in flight
 * the queue may exceed the bound by the events that arrive during it (at most {@code timeout} long).
 *
 * <p>When several instances hold the same events ({@link DeliveryClaims}), each attempt is made only under this
 * instance's claim on the event; an event another instance delivered is removed unsent, one it is still trying is
 * asked about again after {@link DeliveryClaims#poll()}.
 *
 * <p>Runs on its verticle's event loop; endpoints have one each, so a dead endpoint never delays another.
 */
public final class EndpointDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(EndpointDelivery.class);
  private static final Optional<Duration> NOW = Optional.of(Duration.ZERO);

  private final Vertx vertx;
  private final String name;
  private final Duration backoff;
  private final DurableQueue queue;
  private final WebhookSender sender;
  private final RetryPolicy retry;
  private final EndpointStats stats;
  private final long maxEvents;
  private final Clock clock;
  private final DeliveryClaims claims;
  private final Promise<Void> settledAfterStop = Promise.promise();
  private boolean busy;
  private boolean acceptedWhileBusy;
  private long retryTimer = -1;
  private boolean stopped;

  public EndpointDelivery(Vertx vertx, NotificationsConfig.Endpoint endpoint, PayloadFormat format, DurableQueue queue,
      EndpointStats stats, long maxEvents, DeliveryClaims claims) {
    this.vertx = vertx;
    this.name = endpoint.name();
    this.backoff = endpoint.backoff();
    this.queue = queue;
    this.sender = new WebhookSender(vertx, endpoint, format);
    this.retry = new RetryPolicy(endpoint.threshold(), endpoint.backoff(), endpoint.maxBackoff());
    this.stats = stats;
    this.maxEvents = maxEvents;
    this.clock = Clock.systemUTC();
    this.claims = claims;
  }

  /** Starts delivering what the queue holds already, events a previous run left undelivered included. */
  public void start() {
    pump();
  }

  /** An event was appended to the queue. */
  public void accepted() {
    if (stopped) {
      return;
    }
    if (busy) {
      acceptedWhileBusy = true;
    } else if (retryTimer >= 0) {
      trim();
    } else {
      pump();
    }
  }

  private void pump() {
    busy = true;
    acceptedWhileBusy = false;
    queue.trim(maxEvents).onSuccess(this::dropped)
        .compose(ignored -> queue.peek())
        .compose(next -> next.isPresent() ? deliver(next.get()) : Future.succeededFuture(Optional.<Duration>empty()))
        .onComplete(this::settle);
  }

  /** Completes with the wait before the next attempt, or empty when the queue is drained. */
  private Future<Optional<Duration>> deliver(QueuedEvent event) {
    JsonObject json = parse(event);
    if (json == null) {
      stats.dropped(1);
      return queue.remove(event.sequence()).map(NOW);
    }
    if (!(json.getValue("id") instanceof String id)) {
      return send(event, json, null);
    }
    return claims.claim(id).compose(outcome -> switch (outcome) {
      case MINE -> send(event, json, id);
      case DONE -> skip(event);
      case TAKEN -> Future.succeededFuture(Optional.of(claims.poll()));
    }, failure -> {
      LOG.warn("delivery claim not settled, waiting [endpoint: {}, event: {}]: {}", name, id, failure.toString());
      return Future.succeededFuture(Optional.of(backoff));
    });
  }

  /** One attempt; {@code id} is the event's id when this instance claimed it. */
  private Future<Optional<Duration>> send(QueuedEvent event, JsonObject json, String id) {
    return sender.send(json).compose(attempt -> {
      if (attempt.delivered()) {
        stats.delivered(attempt.status(), clock.instant());
        if (retry.consecutiveFailures() > 0) {
          LOG.info("webhook endpoint answering again [endpoint: {}, failed attempts: {}]", name,
              retry.consecutiveFailures());
        }
        retry.success();
        if (id != null) {
          // Not awaited: the claims run their map operations in order, so the next claim comes after this mark.
          claims.done(id).onFailure(failure -> LOG.warn("delivered event not marked done; another instance may "
              + "deliver it again once its claim lapses [endpoint: {}, event: {}]: {}", name, id, failure.toString()));
        }
        return queue.remove(event.sequence()).map(NOW);
      }
      stats.failed(attempt, clock.instant());
      if (retry.consecutiveFailures() == 0) {
        LOG.warn("webhook delivery failing, retrying [endpoint: {}, error: {}, pending: {}]", name, attempt.error(),
            queue.pending());
      } else {
        LOG.debug("webhook delivery failed again [endpoint: {}, error: {}]", name, attempt.error());
      }
      return Future.succeededFuture(Optional.of(retry.failure()));
    });
  }

  /** Another instance delivered the event: it leaves the queue unsent, and the endpoint is known to answer. */
  private Future<Optional<Duration>> skip(QueuedEvent event) {
    stats.skipped();
    retry.success();
    return queue.remove(event.sequence()).map(NOW);
  }

  private JsonObject parse(QueuedEvent event) {
    if (!event.readable()) {
      return null;
    }
    try {
      return new JsonObject(event.json());
    } catch (DecodeException e) {
      LOG.error("queued event is not JSON, dropped [endpoint: {}, sequence: {}]", name, event.sequence());
      return null;
    }
  }

  private void settle(AsyncResult<Optional<Duration>> outcome) {
    busy = false;
    if (stopped) {
      settledAfterStop.tryComplete();
      return;
    }
    Duration wait;
    if (outcome.failed()) {
      LOG.error("notification queue failed, retrying [endpoint: {}]: {}", name, outcome.cause().toString());
      wait = backoff;
    } else if (outcome.result().isEmpty()) {
      if (acceptedWhileBusy) {
        pump();
      }
      return;
    } else {
      wait = outcome.result().get();
    }
    if (wait.isZero()) {
      pump();
      return;
    }
    retryTimer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> {
      retryTimer = -1;
      pump();
    });
    if (acceptedWhileBusy) {
      trim();
    }
  }

  /** Enforces the bound while the head waits for its retry (it is not in flight, so it may go too). */
  private void trim() {
    queue.trim(maxEvents).onSuccess(this::dropped)
        .onFailure(failure -> LOG.error("notification queue not trimmed [endpoint: {}]: {}", name, failure.toString()));
  }

  private void dropped(long count) {
    if (count > 0) {
      stats.dropped(count);
      LOG.warn("notification queue full, dropped the oldest undelivered events [endpoint: {}, dropped: {}, "
          + "maxevents: {}, dropped since start: {}]", name, count, maxEvents, stats.droppedCount());
    }
  }

  /**
   * Stops retrying; waits for a request in flight so that its outcome is recorded, then closes the client and gives up
   * a claim still held, so that another instance takes the event over at once.
   */
  public Future<Void> stop() {
    stopped = true;
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    Future<Void> settled = busy ? settledAfterStop.future() : Future.succeededFuture();
    return settled.eventually(sender::close).eventually(claims::release);
  }
}
