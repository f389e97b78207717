package io.berth.notify.bus;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.notify.endpoint.EndpointPipeline;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code registry.v1.events} and hands each event to every endpoint, in the order the events arrive. Without
 * {@code notifications.events.includereferences}, a manifest's {@code target.references} is left out first.
 */
public final class NotificationBusHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(NotificationBusHandlers.class);

  private final List<EndpointPipeline> endpoints;
  private final boolean includeReferences;
  private MessageConsumer<Object> consumer;

  public NotificationBusHandlers(List<EndpointPipeline> endpoints, boolean includeReferences) {
    this.endpoints = endpoints;
    this.includeReferences = includeReferences;
  }

  public Future<Void> register(EventBus bus) {
    consumer = bus.consumer(Addresses.EVENTS, this::handle);
    return consumer.completion();
  }

  public Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<Object> message) {
    RegistryEvent event;
    try {
      event = RegistryEvent.fromJson(message.body() instanceof JsonObject json ? json : new JsonObject());
    } catch (IllegalArgumentException e) {
      LOG.warn("not a registry event, ignored [address: {}]", Addresses.EVENTS);
      return;
    }
    JsonObject prepared = (includeReferences ? event : event.withoutReferences()).toJson();
    for (EndpointPipeline endpoint : endpoints) {
      endpoint.offer(prepared);
    }
  }
}
