package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/**
 * A body with nothing to say: the answer to a delete or a cancel, which only has to succeed, and the health request,
 * whose address is the whole question. It is {@code {}} on the wire, never null, so every body is a JSON object.
 */
public record Empty() {
  public JsonObject toJson() {
    return new JsonObject();
  }

  public static Empty fromJson(JsonObject json) {
    return new Empty();
  }
}
