package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** Names a manifest by tag or digest: get, delete. */
public record ManifestRequest(String repository, String reference) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("reference", reference);
  }

  public static ManifestRequest fromJson(JsonObject json) {
    return new ManifestRequest(json.getString("repository"), json.getString("reference"));
  }
}
