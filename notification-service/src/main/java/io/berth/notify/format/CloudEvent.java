package io.berth.notify.format;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * A CloudEvents 1.0 event in structured JSON mode ({@code application/cloudevents+json}). {@code id} is the registry
 * event's id, so a receiver drops duplicates the same way in both formats; {@code type} is
 * {@code io.berth.registry.<action>}; {@code subject} names the repository and the tag or digest; {@code data} is the
 * registry event exactly as the distribution formats carry it.
 */
record CloudEvent(String source) implements PayloadFormat {
  static final String CONTENT_TYPE = "application/cloudevents+json";
  static final String TYPE_PREFIX = "io.berth.registry.";

  @Override
  public String contentType() {
    return CONTENT_TYPE;
  }

  @Override
  public Buffer body(JsonObject event) {
    JsonObject cloudEvent = new JsonObject()
        .put("specversion", "1.0")
        .put("id", event.getString("id"))
        .put("source", source)
        .put("type", TYPE_PREFIX + event.getString("action"));
    String subject = subject(event.getJsonObject("target", new JsonObject()));
    if (subject != null) {
      cloudEvent.put("subject", subject);
    }
    if (event.getString("timestamp") != null) {
      cloudEvent.put("time", event.getString("timestamp"));
    }
    return cloudEvent.put("datacontenttype", "application/json").put("data", event).toBuffer();
  }

  private static String subject(JsonObject target) {
    String repository = target.getString("repository");
    if (repository == null) {
      return null;
    }
    if (target.getString("tag") != null) {
      return repository + ":" + target.getString("tag");
    }
    return target.getString("digest") == null ? repository : repository + "@" + target.getString("digest");
  }
}
