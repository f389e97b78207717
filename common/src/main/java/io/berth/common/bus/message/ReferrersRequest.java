package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** The manifests whose subject is {@code digest}, optionally only those of one artifact type. */
public record ReferrersRequest(String repository, String digest, String artifactType) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("digest", digest).put("artifactType", artifactType);
  }

  public static ReferrersRequest fromJson(JsonObject json) {
    return new ReferrersRequest(json.getString("repository"), json.getString("digest"),
        json.getString("artifactType"));
  }
}
