package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** Names one blob of one repository: stat, delete. */
public record BlobRequest(String repository, String digest) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("digest", digest);
  }

  public static BlobRequest fromJson(JsonObject json) {
    return new BlobRequest(json.getString("repository"), json.getString("digest"));
  }
}
