package io.berth.notify.format;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * distribution's envelope, {@code {"events":[event]}}: one event per request, as its HTTP sink sends them, with the
 * media type of distribution 2.x ({@code v1}) or 3.x ({@code v2}); the body is the same for both.
 */
record DistributionEnvelope(String contentType) implements PayloadFormat {
  static final String V1 = "application/vnd.docker.distribution.events.v1+json";
  static final String V2 = "application/vnd.docker.distribution.events.v2+json";

  @Override
  public Buffer body(JsonObject event) {
    return new JsonObject().put("events", new JsonArray().add(event)).toBuffer();
  }
}
