package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** Asks the blob service to stream {@code length} bytes from {@code offset} to the receiver at {@code address}. */
public record BlobReadRequest(String repository, String digest, long offset, long length, String address) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("digest", digest)
        .put("offset", offset).put("length", length).put("address", address);
  }

  public static BlobReadRequest fromJson(JsonObject json) {
    return new BlobReadRequest(json.getString("repository"), json.getString("digest"),
        json.getLong("offset"), json.getLong("length"), json.getString("address"));
  }
}
