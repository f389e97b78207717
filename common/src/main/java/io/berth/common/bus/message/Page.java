package io.berth.common.bus.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** A page of a listing; {@code more} says whether entries follow the last one. */
public record Page(List<String> items, boolean more) {
  public JsonObject toJson() {
    return new JsonObject().put("items", new JsonArray(List.copyOf(items))).put("more", more);
  }

  public static Page fromJson(JsonObject json) {
    return new Page(json.getJsonArray("items").stream().map(String::valueOf).toList(), json.getBoolean("more"));
  }

  /** Cuts one page out of a sorted list. */
  public static Page of(List<String> sorted, int n, String last) {
    List<String> after = last == null ? sorted
        : sorted.stream().filter(item -> item.compareTo(last) > 0).toList();
    if (n < 0 || after.size() <= n) {
      return new Page(after, false);
    }
    return new Page(after.subList(0, n), true);
  }
}
