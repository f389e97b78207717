package io.berth.common.bus.message;

import io.berth.common.oci.UploadId;
import io.vertx.core.json.JsonObject;

/**
 * Names an upload session. For a write, {@code expectedOffset} is where the client says its chunk starts
 * (-1 when it did not say) and {@code digest} is set when the write completes the upload. The id is parsed again
 * when a message is read, so one that is no upload id fails the message before it can become part of a storage path
 * (security issue #10).
 */
public record UploadRequest(String repository, UploadId uuid, long expectedOffset, String digest) {
  public static UploadRequest of(String repository, UploadId uuid) {
    return new UploadRequest(repository, uuid, -1, null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("uuid", uuid.value())
        .put("expectedOffset", expectedOffset).put("digest", digest);
  }

  public static UploadRequest fromJson(JsonObject json) {
    return new UploadRequest(json.getString("repository"), UploadId.parse(json.getString("uuid")),
        json.getLong("expectedOffset", -1L), json.getString("digest"));
  }
}
