package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;

/** One page of a sorted listing (tags, catalog): at most {@code n} entries after {@code last}; n = -1 means all. */
public record PageRequest(String repository, int n, String last) {
  public JsonObject toJson() {
    return new JsonObject().put("repository", repository).put("n", n).put("last", last);
  }

  public static PageRequest fromJson(JsonObject json) {
    return new PageRequest(json.getString("repository"), json.getInteger("n", -1), json.getString("last"));
  }
}
