package io.berth.common.bus.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** A stored manifest: its digest, media type, bytes, and the digest of its subject when it has one. */
public record ManifestContent(String digest, String mediaType, Buffer content, String subject) {
  public JsonObject toJson() {
    return new JsonObject().put("digest", digest).put("mediaType", mediaType)
        .put("content", content).put("subject", subject);
  }

  public static ManifestContent fromJson(JsonObject json) {
    return new ManifestContent(json.getString("digest"), json.getString("mediaType"),
        json.getBuffer("content"), json.getString("subject"));
  }
}
