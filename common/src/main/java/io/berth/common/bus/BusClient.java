package io.berth.common.bus;

import io.berth.common.event.RequestInfo;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/** Request/reply with JSON bodies, a send timeout on every request, and failures mapped to RegistryException. */
public final class BusClient {
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  private final EventBus bus;
  private final long timeoutMs;

  public BusClient(EventBus bus) {
    this(bus, DEFAULT_TIMEOUT_MS);
  }

  public BusClient(EventBus bus, long timeoutMs) {
    this.bus = bus;
    this.timeoutMs = timeoutMs;
  }

  public Future<JsonObject> request(String address, JsonObject body) {
    return send(address, body, options());
  }

  /** A request made for a client's request, which travels along as headers so the service can report it in events. */
  public Future<JsonObject> request(String address, JsonObject body, RequestInfo request) {
    return send(address, body, request.addTo(options()));
  }

  public void publish(String address, JsonObject body) {
    bus.publish(address, body);
  }

  private DeliveryOptions options() {
    return new DeliveryOptions().setSendTimeout(timeoutMs);
  }

  private Future<JsonObject> send(String address, JsonObject body, DeliveryOptions options) {
    return bus.<JsonObject>request(address, body, options)
        .map(Message::body)
        .recover(failure -> Future.failedFuture(BusErrors.asRegistryException(failure)));
  }
}
