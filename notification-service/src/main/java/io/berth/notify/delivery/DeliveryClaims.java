package io.berth.notify.delivery;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Which notification instance delivers an event to an endpoint, when every instance queues every event. An instance
 * asks before each attempt; only the one answered {@link Outcome#MINE} sends. In one process there is no one to ask:
 * {@link #none()} answers {@code MINE} at once.
 */
public interface DeliveryClaims {
  /** The answer for one event. */
  enum Outcome {
    /** This instance holds the claim: send it. */
    MINE,
    /** Another instance delivered it: drop it from the queue without sending. */
    DONE,
    /** Another instance holds the claim and is still trying: ask again later. */
    TAKEN
  }

  /** Claims {@code eventId} for this instance, or renews the claim it holds. */
  Future<Outcome> claim(String eventId);

  /** Records that this instance delivered {@code eventId}. */
  Future<Void> done(String eventId);

  /** Gives up the claim this instance holds, if any, so that another instance need not wait for it to lapse. */
  Future<Void> release();

  /** How long to wait before asking again about an event another instance holds. */
  Duration poll();

  static DeliveryClaims none() {
    return Unclaimed.INSTANCE;
  }

  /** One process, one queue per endpoint: nothing to agree on. */
  enum Unclaimed implements DeliveryClaims {
    INSTANCE;

    private static final Future<Outcome> MINE = Future.succeededFuture(Outcome.MINE);

    @Override
    public Future<Outcome> claim(String eventId) {
      return MINE;
    }

    @Override
    public Future<Void> done(String eventId) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> release() {
      return Future.succeededFuture();
    }

    @Override
    public Duration poll() {
      return Duration.ZERO;
    }
  }
}
