package io.berth.common.testing;

import io.berth.common.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A consumer of {@link Addresses#EVENTS} that keeps every event published, in order of arrival, for a test to await. */
public final class EventRecorder implements AutoCloseable {
  private static final String MARKER = "berth-test-marker";

  private final Vertx vertx;
  private final MessageConsumer<JsonObject> consumer;
  private final BlockingQueue<JsonObject> events;

  private EventRecorder(Vertx vertx, MessageConsumer<JsonObject> consumer, BlockingQueue<JsonObject> events) {
    this.vertx = vertx;
    this.consumer = consumer;
    this.events = events;
  }

  public static EventRecorder listen(Vertx vertx) {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.EVENTS,
        message -> events.add(message.body()));
    Await.result(consumer.completion());
    return new EventRecorder(vertx, consumer, events);
  }

  /** The next event, awaited for at most {@link Await#TIMEOUT_SECONDS}. */
  public JsonObject next() {
    try {
      JsonObject event = events.poll(Await.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("no event within " + Await.TIMEOUT_SECONDS + " s");
      }
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting an event", e);
    }
  }

  /** The next events up to and including the first that {@code last} accepts. */
  public List<JsonObject> until(Predicate<JsonObject> last) {
    List<JsonObject> seen = new ArrayList<>();
    JsonObject event;
    do {
      event = next();
      seen.add(event);
    } while (!last.test(event));
    return seen;
  }

  /**
   * Every event published before this call that was not taken yet, and no later one. A marker published now is
   * queued to this consumer after anything published earlier, so what arrives before the marker is exactly that: an
   * empty answer proves an operation published nothing, without waiting for a time to pass.
   */
  public List<JsonObject> drain() {
    String id = UUID.randomUUID().toString();
    vertx.eventBus().publish(Addresses.EVENTS, new JsonObject().put(MARKER, id));
    List<JsonObject> seen = until(event -> id.equals(event.getString(MARKER)));
    return seen.subList(0, seen.size() - 1);
  }

  /**
   * The event without what is generated afresh for each one, after checking it: {@code id} a UUID, {@code timestamp}
   * an RFC 3339 instant no later than now. What remains can be compared whole.
   */
  public static JsonObject stable(JsonObject event) {
    JsonObject copy = event.copy();
    UUID.fromString(copy.getString("id"));
    Instant timestamp = Instant.parse(copy.getString("timestamp"));
    if (timestamp.isAfter(Instant.now())) {
      throw new AssertionError("event timestamp " + timestamp + " is in the future");
    }
    copy.remove("id");
    copy.remove("timestamp");
    return copy;
  }

  @Override
  public void close() {
    Await.result(consumer.unregister());
  }
}
