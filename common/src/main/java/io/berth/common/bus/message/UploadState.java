package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** Where an upload session stands: how many bytes it holds. */
public record UploadState(String uuid, long offset) {
  public JsonObject toJson() {
    return new JsonObject().put("uuid", uuid).put("offset", offset);
  }

  public static UploadState fromJson(JsonObject json) {
    return new UploadState(json.getString("uuid"), json.getLong("offset"));
  }
}
