package io.berth.common.bus.message;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * The failing health checks, by name, with their errors: distribution's {@code /debug/health} body. Empty when
 * everything is healthy.
 */
public record HealthStatus(Map<String, String> failures) {
  public HealthStatus {
    failures = Map.copyOf(failures);
  }

  public boolean healthy() {
    return failures.isEmpty();
  }

  /** The body distribution answers: {@code {}} when healthy, else each failing check's name and error. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(failures).forEach(json::put);
    return json;
  }

  public static HealthStatus fromJson(JsonObject json) {
    Map<String, String> failures = new TreeMap<>();
    json.forEach(entry -> failures.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new HealthStatus(failures);
  }
}
