package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/**
 * A stored blob. {@code localPath} is where its bytes lie on the blob service's host, for a co-located reader;
 * {@code redirectUrl}, when the storage serves blobs itself (S3, redirect not disabled) and the blob was looked up
 * for a client's GET, is where to send that client: a URL valid for a while without credentials.
 */
public record BlobInfo(String digest, long size, String localPath, String redirectUrl) {
  public BlobInfo(String digest, long size, String localPath) {
    this(digest, size, localPath, null);
  }

  public BlobInfo withRedirectUrl(String url) {
    return new BlobInfo(digest, size, localPath, url);
  }

  public JsonObject toJson() {
    return new JsonObject().put("digest", digest).put("size", size).put("localPath", localPath)
        .put("redirectUrl", redirectUrl);
  }

  public static BlobInfo fromJson(JsonObject json) {
    return new BlobInfo(json.getString("digest"), json.getLong("size"), json.getString("localPath"),
        json.getString("redirectUrl"));
  }
}
