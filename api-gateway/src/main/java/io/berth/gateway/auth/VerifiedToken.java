package io.berth.gateway.auth;

import io.berth.common.auth.Scope;
import java.util.Map;
import java.util.Set;

/** A token whose signature and claims were checked: its subject and the actions it grants per resource. */
record VerifiedToken(String subject, Map<Resource, Set<String>> access) {
  /** A typed, named resource; the deprecated resource class plays no part in matching, as in distribution. */
  record Resource(String type, String name) {
  }

  VerifiedToken {
    access = Map.copyOf(access);
  }

  boolean allows(Scope scope) {
    Set<String> granted = access.get(new Resource(scope.type(), scope.name()));
    return granted != null && scope.isCoveredBy(granted);
  }
}
