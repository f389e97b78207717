package io.berth.common.bus;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * When a bus request is asked again, on whichever instance the bus picks next: the one policy for every caller of
 * {@link BusClient}. Only requests that may be repeated without effect (reads, an upload's status) are retried, and
 * only when the instance asked is gone: no handler, no answer in time, or a cluster member left while the request
 * waited (a killed member never answers, and Vert.x would leave the request waiting for its whole send timeout). An
 * answer, even a failure, is never retried. Writes are retried only when undelivered during a departure
 * ({@link #undeliveredWhileSettling}); otherwise not: one still waiting {@link #WRITE_GRACE_MS} after a
 * member left fails as retriable, since it may have gone to the member that left.
 */
public final class BusRetry {
  /** Retries are made for at most this long after the first failure; then the last failure is the answer. */
  public static final long WINDOW_MS = 8_000;
  /**
   * A retry's own send timeout, shorter than a first request's: a retry that reaches a member just killed (Vert.x can
   * still pick it for a moment after its departure) is asked again soon instead of holding the client.
   */
  public static final long RETRY_TIMEOUT_MS = 3_000;
  /**
   * The pause before asking again after no handler answered or a member left: the time Vert.x takes to drop a
   * departed member's consumers, or a restarting instance to register its own.
   */
  public static final long PAUSE_MS = 250;
  /**
   * How long a write may still answer after a member left before it fails as retriable. Long enough for a live but
   * busy instance (ten JVMs on two cores answered writes in over 3 s, and a 3 s grace failed them needlessly), short
   * enough that a write which reached the dead member is answered within seconds.
   */
  public static final long WRITE_GRACE_MS = 10_000;
  /**
   * After a member left, Vert.x may still route a new request to it for a moment (its consumers are dropped
   * asynchronously; seen: a manifest PUT sent 0.4 s after the departure went to the dead member and waited its whole
   * 30 s timeout). A request made this soon after a departure is sent with a shorter send timeout: a repeatable one
   * {@link #RETRY_TIMEOUT_MS}, then asked again; a write {@link #WRITE_GRACE_MS}, then fails as retriable.
   */
  public static final long SETTLE_MS = 3_000;

  /**
   * When this process last learned of a departure (System.nanoTime). Process-wide, as membership is: a stream or a
   * client created after the event must still know the cluster is settling.
   */
  private static volatile long lastDeparture = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(SETTLE_MS) - 1;

  private BusRetry() {
  }

  /** Called when a cluster member leaves; see {@link #SETTLE_MS}. */
  public static void memberLeft() {
    lastDeparture = System.nanoTime();
  }

  /** Whether a member left less than {@link #SETTLE_MS} ago. */
  static boolean settling() {
    return System.nanoTime() - lastDeparture < TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
  }

  /** Whether a failed attempt of a repeatable request should be asked again. */
  static boolean retriable(Throwable failure) {
    return failure instanceof ReplyException reply
        && (reply.failureType() == ReplyFailure.NO_HANDLERS || reply.failureType() == ReplyFailure.TIMEOUT);
  }

  /**
   * Whether a write that failed should be sent again: only when no handler took it (nothing happened) while a
   * departure is settling, when Vert.x briefly finds no consumer for an address whose consumers live elsewhere (seen
   * in MemberDepartureFailoverIT: the survivor's consumer missing for a moment after the crash). Outside such a
   * moment no handler means the service is not running, and the caller hears so at once.
   */
  static boolean undeliveredWhileSettling(Throwable failure) {
    return settling() && failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
  }

  /**
   * The pause before the next attempt: none after a timeout, which has waited already; else {@link #PAUSE_MS} give or
   * take half, so that the requests a departure failed together do not all arrive again in the same instant.
   */
  static long pauseAfter(Throwable failure) {
    return failure instanceof MemberLeft || !(failure instanceof ReplyException reply)
        || reply.failureType() != ReplyFailure.TIMEOUT
        ? PAUSE_MS / 2 + ThreadLocalRandom.current().nextLong(PAUSE_MS + 1) : 0;
  }

  /**
   * Whether a write failed only because it was still unanswered {@link #WRITE_GRACE_MS} after a member left: it may
   * have been done, by the member that left or by a live instance too slow to answer in time.
   */
  public static boolean unansweredAfterDeparture(Throwable failure) {
    return failure instanceof RegistryException error && error.getCause() instanceof Unanswered;
  }

  /** The mark of a write failed as {@link #unansweredAfterDeparture}. */
  static RegistryException unanswered() {
    return new RegistryException(ErrorCode.UNAVAILABLE,
        "a registry instance left the cluster while this request waited; retry", null, new Unanswered());
  }

  private static final class Unanswered extends RuntimeException {
    Unanswered() {
      super("unanswered after a departure", null, false, false);
    }
  }

  /**
   * Ends an attempt of a repeatable request that was waiting when a member left. A timeout as far as the caller
   * sees it: the answer did not come, and will not.
   */
  static final class MemberLeft extends ReplyException {
    MemberLeft() {
      super(ReplyFailure.TIMEOUT, -1, "a cluster member left while the request waited for its answer", true);
    }
  }
}
