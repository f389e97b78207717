package io.berth.common.bus.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** A manifest to store under a tag or digest; {@code contentType} is the request's Content-Type, if any. */
public record ManifestPut(String repository, String reference, String contentType, Buffer content) {
  /**
   * As distribution: a manifest larger than this is refused (413 MANIFEST_TOO_LARGE) rather than parsed. The gateway
   * stops reading a body past it; the manifest service checks it again for any other sender.
   */
  public static final int MAX_CONTENT_BYTES = 4 * 1024 * 1024;

  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("reference", reference)
        .put("contentType", contentType).put("content", content);
  }

  public static ManifestPut fromJson(JsonObject json) {
    return new ManifestPut(json.getString("repository"), json.getString("reference"),
        json.getString("contentType"), json.getBuffer("content"));
  }
}
