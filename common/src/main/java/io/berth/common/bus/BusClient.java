package io.berth.common.bus;

import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Request/reply with JSON bodies, a send timeout on every request, and failures mapped to RegistryException. Each
 * request's latency goes to {@code berth_bus_request_seconds{address, outcome}}; the addresses are the constants of
 * {@link Addresses}, a bounded set.
 */
public final class BusClient {
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  private static final String LATENCY = "berth.bus.request";
  private static final String LATENCY_DESCRIPTION = "Event-bus requests by address and outcome (success or error code)";

  private final EventBus bus;
  private final long timeoutMs;
  private final Metrics metrics;

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
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    return send(address, body, options());
  }

  /** A request made for a client's request, which travels along as headers so the service can report it in events. */
  public Future<JsonObject> request(String address, JsonObject body, RequestInfo request) {
    return send(address, body, request.addTo(options()));
  }

  /**
   * A request for the process that owns what it names, on that process's own address, carrying the shared address
   * it stands for in {@link Addresses#OPERATION_HEADER}. When no handler takes it (the process is gone) it goes to
   * {@code shared}, where any instance serves it. Timed under {@code shared}: process addresses would be unbounded.
   */
  public Future<JsonObject> request(String owner, String shared, JsonObject body, RequestInfo request) {
    long start = System.nanoTime();
    DeliveryOptions directed = request.addTo(options()).addHeader(Addresses.OPERATION_HEADER, shared);
    return timed(shared, start, bus.<JsonObject>request(owner, body, directed)
        .recover(failure -> failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            ? bus.request(shared, body, request.addTo(options())) : Future.failedFuture(failure)));
  }

  public void publish(String address, JsonObject body) {
    bus.publish(address, body);
  }

  private DeliveryOptions options() {
    return new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  private Future<JsonObject> send(String address, JsonObject body, DeliveryOptions options) {
    return timed(address, System.nanoTime(), bus.request(address, body, options));
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
