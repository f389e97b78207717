package io.berth.notify.delivery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One endpoint's claims in a map every notification instance sees ({@value #MAP}, cluster-wide on a clustered bus):
 * key {@code <endpoint>/<event id>}, value the claimant's instance id with the lease as its time to live, or
 * {@value #DONE} for a delivered event, kept for {@link ClaimTimings#done()} so that an instance lagging behind skips it.
 *
 * <p>A claim is taken with {@code putIfAbsent}. While held it is renewed before every attempt and every third of the
 * lease besides, so neither a slow request nor a long backoff lets it lapse while its holder lives; a holder that dies
 * stops renewing, its lease lapses and the next instance to ask takes the claim. Hazelcast's map has no
 * compare-and-set with a time to live, so a renewal is "still mine?" (the {@code putIfAbsent}'s answer) followed by a
 * {@code put}: only a holder stalled for most of a lease can, in that gap, overwrite a successor's fresh claim, and
 * then both send, which is the at-least-once window of a lapsed lease and no wider.
 *
 * <p>Used on one context: map operations run one after another, so a renewal can never land after the done mark.
 */
public final class SharedClaims implements DeliveryClaims {
  public static final String MAP = "berth.notify.claims";
  static final String DONE = "done";
  private static final Logger LOG = LoggerFactory.getLogger(SharedClaims.class);

  private final Vertx vertx;
  private final AsyncMap<String, String> map;
  private final String endpoint;
  private final String holder;
  private final ClaimTimings timings;
  private Future<?> previous = Future.succeededFuture();
  private String held;
  private long renewal = -1;

  /** {@code holder} names this instance in the map: unique among the instances running. */
  public SharedClaims(Vertx vertx, AsyncMap<String, String> map, String endpoint, String holder,
      ClaimTimings timings) {
    if (DONE.equals(holder)) {
      throw new IllegalArgumentException("\"" + DONE + "\" cannot name an instance");
    }
    this.vertx = vertx;
    this.map = map;
    this.endpoint = endpoint;
    this.holder = holder;
    this.timings = timings;
  }

  @Override
  public Future<Outcome> claim(String eventId) {
    if (held != null && !held.equals(eventId)) {
      // The event held was dropped from this queue (past maxevents): another instance may still deliver it.
      release();
    }
    return serially(() -> takeOrRenew(eventId)).onSuccess(outcome -> {
      if (outcome == Outcome.MINE) {
        hold(eventId);
      } else if (eventId.equals(held)) {
        lost(outcome);
      }
    });
  }

  @Override
  public Future<Void> done(String eventId) {
    if (eventId.equals(held)) {
      stopRenewing();
    }
    return serially(() -> map.put(key(eventId), DONE, timings.done().toMillis()));
  }

  @Override
  public Future<Void> release() {
    if (held == null) {
      return Future.succeededFuture();
    }
    String eventId = held;
    stopRenewing();
    return serially(() -> map.removeIfPresent(key(eventId), holder).<Void>mapEmpty());
  }

  @Override
  public Duration poll() {
    return timings.poll();
  }

  private Future<Outcome> takeOrRenew(String eventId) {
    String key = key(eventId);
    long lease = timings.lease().toMillis();
    return map.putIfAbsent(key, holder, lease).compose(current -> {
      if (current == null) {
        return Future.succeededFuture(Outcome.MINE);
      }
      if (current.equals(holder)) {
        return map.put(key, holder, lease).map(Outcome.MINE);
      }
      return Future.succeededFuture(current.equals(DONE) ? Outcome.DONE : Outcome.TAKEN);
    });
  }

  private void hold(String eventId) {
    held = eventId;
    if (renewal < 0) {
      renewal = vertx.setPeriodic(Math.max(1, timings.lease().toMillis() / 3), id -> renew());
    }
  }

  private void renew() {
    // Asked when the renewal's turn comes, not now: the claim may have been given up by then.
    serially(this::renewHeld);
  }

  private Future<Void> renewHeld() {
    if (held == null) {
      return Future.succeededFuture();
    }
    String eventId = held;
    return takeOrRenew(eventId).<Void>map(outcome -> {
      if (outcome != Outcome.MINE && eventId.equals(held)) {
        lost(outcome);
      }
      return null;
    }).onFailure(failure -> LOG.warn("delivery claim not renewed [endpoint: {}, event: {}]: {}", endpoint, eventId,
        failure.toString()));
  }

  private void lost(Outcome outcome) {
    LOG.warn("delivery claim lapsed and passed to another instance [endpoint: {}, event: {}, now: {}]", endpoint, held,
        outcome);
    stopRenewing();
  }

  private void stopRenewing() {
    held = null;
    if (renewal >= 0) {
      vertx.cancelTimer(renewal);
      renewal = -1;
    }
  }

  private String key(String eventId) {
    return endpoint + "/" + eventId;
  }

  private <T> Future<T> serially(Supplier<Future<T>> operation) {
    Future<T> next = previous.transform(ignored -> operation.get());
    previous = next;
    return next;
  }
}
