package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** The address a byte stream is to be sent to. */
public record StreamOpened(String address) {
  public JsonObject toJson() {
    return new JsonObject().put("address", address);
  }

  public static StreamOpened fromJson(JsonObject json) {
    return new StreamOpened(json.getString("address"));
  }
}
