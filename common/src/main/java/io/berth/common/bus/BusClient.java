package io.berth.common.bus;

import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request/reply with JSON bodies, a send timeout on every request, and failures mapped to RegistryException. Each
 * request's latency goes to {@code berth_bus_request_seconds{address, outcome}}; the addresses are the constants of
 * {@link Addresses}, a bounded set. Requests that may be repeated ({@code requestIdempotent}) are asked again on
 * another instance when the one asked is gone, as {@link BusRetry} decides; every request still waiting when a
 * cluster member leaves is told so ({@link Addresses#MEMBER_LEFT}), since Vert.x would leave it waiting for its timeout.
 */
public final class BusClient {
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  private static final int DEPARTED_OWNERS = 256;
  private static final Logger LOG = LoggerFactory.getLogger(BusClient.class);
  private static final String LATENCY = "berth.bus.request";
  private static final String LATENCY_DESCRIPTION = "Event-bus requests by address and outcome (success or error code)";

  private final EventBus bus;
  private final long timeoutMs;
  private final Metrics metrics;
  private final Set<Attempt> waiting = ConcurrentHashMap.newKeySet();

  /** One request on the wire, until its answer; {@code repeatable} says what a departure does to it. */
  private record Attempt(String address, Promise<Message<JsonObject>> answer, boolean repeatable) {
  }

  /**
   * Owners of upload sessions (blob-service processes) whose member left: their requests go to the shared address at
   * once. Process ids are never reused, so the set only grows; bounded, oldest forgotten first.
   */
  private final Set<String> departedOwners = Collections.newSetFromMap(Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > DEPARTED_OWNERS;
        }
      }));

  public BusClient(EventBus bus) {
    this(bus, DEFAULT_TIMEOUT_MS);
  }

  public BusClient(EventBus bus, long timeoutMs) {
    this(bus, timeoutMs, Metrics.disabled());
  }

  public BusClient(EventBus bus, long timeoutMs, Metrics metrics) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
    this.metrics = metrics;
    bus.<String>localConsumer(Addresses.MEMBER_LEFT, left -> memberLeft(left.body()));
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    return timed(address, System.nanoTime(), retrying(timeout -> attempt(address, body, options(timeout), false),
        false));
  }

  /** A request made for a client's request, which travels along as headers so the service can report it in events. */
  public Future<JsonObject> request(String address, JsonObject body, RequestInfo request) {
    return timed(address, System.nanoTime(),
        retrying(timeout -> attempt(address, body, request.addTo(options(timeout)), false), false));
  }

  /**
   * A request for the process that owns what it names, on that process's own address, carrying the shared address
   * it stands for in {@link Addresses#OPERATION_HEADER}. When no handler takes it (the process is gone) it goes to
   * {@code shared}, where any instance serves it. Timed under {@code shared}: process addresses would be unbounded.
   */
  public Future<JsonObject> request(String owner, String shared, JsonObject body, RequestInfo request) {
    return timed(shared, System.nanoTime(),
        retrying(timeout -> directed(owner, shared, body, request, timeout, false), false));
  }

  /** {@link #request(String, JsonObject)} for a request that may be repeated: asked again when the instance is gone. */
  public Future<JsonObject> requestIdempotent(String address, JsonObject body) {
    return timed(address, System.nanoTime(), retrying(timeout -> attempt(address, body, options(timeout), true), true));
  }

  /** {@link #request(String, JsonObject, RequestInfo)} for a request that may be repeated. */
  public Future<JsonObject> requestIdempotent(String address, JsonObject body, RequestInfo request) {
    return timed(address, System.nanoTime(),
        retrying(timeout -> attempt(address, body, request.addTo(options(timeout)), true), true));
  }

  /** {@link #request(String, String, JsonObject, RequestInfo)} for a request that may be repeated. */
  public Future<JsonObject> requestIdempotent(String owner, String shared, JsonObject body, RequestInfo request) {
    return timed(shared, System.nanoTime(), retrying(timeout -> directed(owner, shared, body, request, timeout, true), true));
  }

  public void publish(String address, JsonObject body) {
    bus.publish(address, body);
  }

  private static DeliveryOptions options(long timeout) {
    return new DeliveryOptions().setSendTimeout(timeout);
  }

  private Future<Message<JsonObject>> directed(String owner, String shared, JsonObject body, RequestInfo request,
      long timeout, boolean repeatable) {
    if (departedOwners.contains(owner)) {
      return attempt(shared, body, request.addTo(options(timeout)), repeatable);
    }
    DeliveryOptions toOwner = request.addTo(options(timeout)).addHeader(Addresses.OPERATION_HEADER, shared);
    return attempt(owner, body, toOwner, repeatable)
        .recover(failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? attempt(shared, body, request.addTo(options(timeout)), repeatable) : Future.failedFuture(failure));
  }

  private Future<Message<JsonObject>> attempt(String address, JsonObject body, DeliveryOptions options,
      boolean repeatable) {
    if (BusRetry.settling()) {
      options.setSendTimeout(Math.min(options.getSendTimeout(),
          repeatable ? BusRetry.RETRY_TIMEOUT_MS : BusRetry.WRITE_GRACE_MS));
    }
    Attempt attempt = new Attempt(address, Promise.promise(), repeatable);
    waiting.add(attempt);
    bus.<JsonObject>request(address, body, options).onComplete(answer -> {
      if (answer.succeeded()) {
        attempt.answer().tryComplete(answer.result());
      } else {
        attempt.answer().tryFail(answer.cause());
      }
    });
    return attempt.answer().future().onComplete(done -> waiting.remove(attempt));
  }

  /** The first attempt with the full send timeout; retries, as {@link BusRetry} says, within its window. */
  private Future<Message<JsonObject>> retrying(LongFunction<Future<Message<JsonObject>>> send, boolean repeatable) {
    return send.apply(timeoutMs).recover(failure -> retry(send, failure,
        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BusRetry.WINDOW_MS), 1, repeatable));
  }

  private Future<Message<JsonObject>> retry(LongFunction<Future<Message<JsonObject>>> send, Throwable failure,
      long deadline, int retries, boolean repeatable) {
    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (!(repeatable ? BusRetry.retriable(failure) : BusRetry.undeliveredWhileSettling(failure)) || leftMs <= 0) {
      return Future.failedFuture(failure);
    }
    LOG.debug("bus request asked again [retry: {}]: {}", retries, failure.getMessage());
    return after(BusRetry.pauseAfter(failure))
        .compose(v -> send.apply(Math.max(1, Math.min(BusRetry.RETRY_TIMEOUT_MS, leftMs))))
        .recover(next -> retry(send, next, deadline, retries + 1, repeatable));
  }

  /** A pause on the caller's context; retries are made from answer handlers, which always run on one. */
  private static Future<Void> after(long delayMs) {
    Context context = Vertx.currentContext();
    if (delayMs <= 0 || context == null) {
      return Future.succeededFuture();
    }
    Promise<Void> paused = Promise.promise();
    context.owner().setTimer(delayMs, id -> paused.complete());
    return paused.future();
  }

  /**
   * Every repeatable request still waiting is asked again now (its late answer, if any, is ignored); a write gets
   * {@link BusRetry#WRITE_GRACE_MS} to answer, then fails as retriable. A request to the process that owns an upload
   * session, when that process is the one that left, is known to have reached nobody who will answer: it goes to the
   * shared address at once, write or not (whatever the dead process did is on storage, where any instance finds it).
   */
  private void memberLeft(String member) {
    Optional<String> owner = UploadIds.processIdOf(member).map(Addresses::uploadOwner);
    owner.ifPresent(departedOwners::add);
    List<Attempt> affected = List.copyOf(waiting);
    if (affected.isEmpty()) {
      return;
    }
    LOG.info("cluster member left with bus requests waiting [member: {}, requests: {}]", member, affected.size());
    Context context = Vertx.currentContext();
    for (Attempt attempt : affected) {
      if (owner.isPresent() && owner.get().equals(attempt.address())) {
        attempt.answer().tryFail(new ReplyException(ReplyFailure.NO_HANDLERS, "the owner of the session left"));
      } else if (attempt.repeatable()) {
        attempt.answer().tryFail(new BusRetry.MemberLeft());
      } else if (context != null) {
        context.owner().setTimer(BusRetry.WRITE_GRACE_MS, id -> attempt.answer().tryFail(BusRetry.unanswered()));
      }
    }
  }

  private Future<JsonObject> timed(String address, long start, Future<Message<JsonObject>> reply) {
    return reply
        .map(Message::body)
        .recover(failure -> Future.failedFuture(BusErrors.asRegistryException(failure)))
        .onComplete(done -> metrics.record(System.nanoTime() - start, LATENCY, LATENCY_DESCRIPTION,
            "address", address, "outcome", outcome(done.cause())));
  }

  private static String outcome(Throwable failure) {
    return failure instanceof RegistryException error ? error.errorCode().name().toLowerCase(Locale.ROOT) : "success";
  }
}
