package io.berth.common.bus.message;

import io.berth.common.oci.UploadId;
import io.vertx.core.json.JsonObject;

/** Where an upload session stands: how many bytes it holds. */
public record UploadState(UploadId uuid, long offset) {
  public JsonObject toJson() {
    return new JsonObject().put("uuid", uuid.value()).put("offset", offset);
  }

  public static UploadState fromJson(JsonObject json) {
    return new UploadState(UploadId.parse(json.getString("uuid")), json.getLong("offset"));
  }
}
