package io.berth.auth.http;

import io.berth.auth.token.TokenGrant;
import io.berth.common.auth.Scope;
import io.berth.common.oci.RepositoryName;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What GET and POST /token share: the service check, the scope list, the response fields. */
final class TokenRequests {
  private TokenRequests() {
  }

  /** A token for another service would be useless to the client; say so instead of issuing it. */
  static void checkService(String requested, String service) {
    if (requested != null && !requested.equals(service)) {
      throw TokenException.invalidRequest("this issuer grants tokens for service \"" + service + "\" only");
    }
  }

  /**
   * Each value may hold several scopes separated by spaces; malformed scopes are left out, as distribution does, and so
   * are repository scopes whose name is no repository name ({@code a/../b}, {@code host:5000/a}): a token never names
   * a repository the registry could not have asked for.
   */
  static List<Scope> scopes(List<String> values) {
    return values.stream().flatMap(value -> Scope.parseAll(value).stream())
        .filter(scope -> !scope.type().equals(Scope.REPOSITORY) || RepositoryName.isValid(scope.name()))
        .toList();
  }

  static JsonObject body(TokenGrant grant) {
    JsonObject body = new JsonObject()
        .put("access_token", grant.token().jwt())
        .put("expires_in", grant.token().expiresIn())
        .put("issued_at", grant.token().issuedAt().toString());
    if (grant.refreshToken() != null) {
      body.put("refresh_token", grant.refreshToken());
    }
    return body;
  }
}
