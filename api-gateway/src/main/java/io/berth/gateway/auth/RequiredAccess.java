package io.berth.gateway.auth;

import io.berth.common.auth.Scope;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What one request needs: resource scopes, actions of the same resource merged; empty for {@code GET /v2/}. */
record RequiredAccess(List<Scope> scopes) {
  static final RequiredAccess NONE = new RequiredAccess(List.of());

  RequiredAccess {
    scopes = List.copyOf(scopes);
  }

  static RequiredAccess of(Scope... scopes) {
    Map<String, Scope> merged = new LinkedHashMap<>();
    for (Scope scope : scopes) {
      merged.merge(scope.type() + ":" + scope.name(), scope, (first, second) -> {
        Set<String> actions = new LinkedHashSet<>(first.actions());
        actions.addAll(second.actions());
        return new Scope(first.type(), first.name(), actions);
      });
    }
    return new RequiredAccess(List.copyOf(merged.values()));
  }

  /** The {@code scope} parameter of a Bearer challenge: the scopes separated by spaces; empty when none. */
  String scopeParameter() {
    return scopes.stream().map(Scope::toString).collect(Collectors.joining(" "));
  }

  /**
   * The detail of the UNAUTHORIZED error: one entry per resource and action, in the shape distribution serialises
   * its access records ({@code {"Type","Class","Name","Action"}}); null when nothing beyond authentication is needed.
   */
  JsonArray detail() {
    if (scopes.isEmpty()) {
      return null;
    }
    JsonArray records = new JsonArray();
    for (Scope scope : scopes) {
      scope.actions().stream().sorted().forEach(action -> records.add(new JsonObject()
          .put("Type", scope.type()).put("Class", "").put("Name", scope.name()).put("Action", action)));
    }
    return records;
  }
}
