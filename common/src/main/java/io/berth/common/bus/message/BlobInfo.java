package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** A stored blob. {@code localPath} is where its bytes lie on the blob service's host, for a co-located reader. */
public record BlobInfo(String digest, long size, String localPath) {
  public JsonObject toJson() {
    return new JsonObject().put("digest", digest).put("size", size).put("localPath", localPath);
  }

  public static BlobInfo fromJson(JsonObject json) {
    return new BlobInfo(json.getString("digest"), json.getLong("size"), json.getString("localPath"));
  }
}
