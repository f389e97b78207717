package io.berth.common.event;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.RegistryEvent;
import io.vertx.core.eventbus.EventBus;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes registry events on {@link Addresses#EVENTS}, fire-and-forget: nothing waits for a consumer, and a failure
 * to build or send an event is logged, never passed on to the operation that had already succeeded.
 */
public final class EventPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final EventBus bus;
  private final EventSource source;
  private final TargetUrls urls;

  public EventPublisher(EventBus bus, EventSource source, TargetUrls urls) {
    this.bus = bus;
    this.source = source;
    this.urls = urls;
  }

  public TargetUrls urls() {
    return urls;
  }

  public void publish(String action, RegistryEvent.Target target, RequestInfo request) {
    try {
      RegistryEvent event = RegistryEvent.of(UUID.randomUUID().toString(), Instant.now(), action, target, request,
          source.addr(), source.instanceId());
      bus.publish(Addresses.EVENTS, event.toJson());
    } catch (RuntimeException e) {
      LOG.warn("event not published [action: {}, repo: {}, digest: {}]", action, target.repository(),
          target.digest(), e);
    }
  }
}
