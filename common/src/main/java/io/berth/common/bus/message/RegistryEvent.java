package io.berth.common.bus.message;

import io.berth.common.event.RequestInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One registry event in distribution's notification format (docs/content/about/notifications.md): published on
 * {@link io.berth.common.bus.Addresses#EVENTS} by the service that did the operation, delivered to webhooks by the
 * notification service. {@code json} is exactly the object that goes into the envelope's {@code events} list, and the
 * body on the bus.
 */
public record RegistryEvent(JsonObject json) {
  public static final String PUSH = "push";
  public static final String PULL = "pull";
  public static final String MOUNT = "mount";
  public static final String DELETE = "delete";

  /** What the event is about; absent fields are left out of the JSON, as distribution's omitempty does. */
  public record Target(String mediaType, String digest, long size, String repository, String fromRepository,
      String url, String tag, JsonArray references) {

    JsonObject toJson() {
      JsonObject target = new JsonObject();
      putIfPresent(target, "mediaType", mediaType);
      putIfPresent(target, "digest", digest);
      if (size >= 0) {
        target.put("size", size).put("length", size);
      }
      putIfPresent(target, "repository", repository);
      putIfPresent(target, "fromRepository", fromRepository);
      putIfPresent(target, "url", url);
      putIfPresent(target, "tag", tag);
      if (references != null && !references.isEmpty()) {
        target.put("references", references);
      }
      return target;
    }
  }

  public static RegistryEvent of(String id, Instant timestamp, String action, Target target, RequestInfo request,
      String sourceAddr, String instanceId) {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("timestamp", timestamp.toString())
        .put("action", action)
        .put("target", target.toJson())
        .put("request", new JsonObject().put("id", request.id()).put("addr", request.addr())
            .put("host", request.host()).put("method", request.method()).put("useragent", request.userAgent()))
        .put("actor", request.actor() == null || request.actor().isEmpty()
            ? new JsonObject() : new JsonObject().put("name", request.actor()))
        .put("source", new JsonObject().put("addr", sourceAddr).put("instanceID", instanceId));
    return new RegistryEvent(json);
  }

  public JsonObject toJson() {
    return json;
  }

  /**
   * Refuses a body without a string {@code id}, which is what delivery and deduplication key events by; the rest is
   * passed on as it came, so fields a newer publisher adds reach the webhooks.
   */
  public static RegistryEvent fromJson(JsonObject json) {
    if (!(json.getValue("id") instanceof String)) {
      throw new IllegalArgumentException("not a registry event: no id");
    }
    return new RegistryEvent(json);
  }

  /** The same event without its target's {@code references} (off unless notifications.events.includereferences). */
  public RegistryEvent withoutReferences() {
    if (!(json.getValue("target") instanceof JsonObject target) || !target.containsKey("references")) {
      return this;
    }
    JsonObject copy = json.copy();
    copy.getJsonObject("target").remove("references");
    return new RegistryEvent(copy);
  }

  public String id() {
    return json.getString("id");
  }

  public String action() {
    return json.getString("action");
  }

  public JsonObject target() {
    return json.getJsonObject("target");
  }

  private static void putIfPresent(JsonObject object, String key, String value) {
    if (value != null && !value.isEmpty()) {
      object.put(key, value);
    }
  }
}
