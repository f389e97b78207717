package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/**
 * Names an upload session. For a write, {@code expectedOffset} is where the client says its chunk starts
 * (-1 when it did not say) and {@code digest} is set when the write completes the upload.
 */
public record UploadRequest(String repository, String uuid, long expectedOffset, String digest) {
  public static UploadRequest of(String repository, String uuid) {
    return new UploadRequest(repository, uuid, -1, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("uuid", uuid)
        .put("expectedOffset", expectedOffset).put("digest", digest);
  }

  public static UploadRequest fromJson(JsonObject json) {
    return new UploadRequest(json.getString("repository"), json.getString("uuid"),
        json.getLong("expectedOffset", -1L), json.getString("digest"));
  }
}
