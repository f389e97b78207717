package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** Links a blob of repository {@code from} into {@code repository} without moving bytes. */
public record MountRequest(String repository, String from, String digest) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("from", from).put("digest", digest);
  }

  public static MountRequest fromJson(JsonObject json) {
    return new MountRequest(json.getString("repository"), json.getString("from"), json.getString("digest"));
  }
}
