package io.berth.gateway.auth;

import io.berth.common.auth.Scope;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code auth.token}: a Bearer JWT from the token issuer must be valid and grant every scope the route needs. The
 * challenge is distribution's, which Docker clients parse to ask the issuer for a token:
 * {@code Bearer realm="…",service="…"[,scope="…"][,error="invalid_token"|"insufficient_scope"]}.
 */
final class TokenAuthenticator implements Authenticator {
  private static final String SCHEME = "bearer ";

  private final TokenVerifier verifier;
  private final String realm;
  private final String service;

  TokenAuthenticator(TokenVerifier verifier, String realm, String service) {
    this.verifier = verifier;
    this.realm = realm;
    this.service = service;
  }

  @Override
  public Future<String> authenticate(HttpServerRequest request, RequiredAccess required) {
    String token = bearerToken(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (token == null) {
      return Future.failedFuture(new Challenge(challenge(required, null), "no bearer token"));
    }
    VerifiedToken verified;
    try {
      verified = verifier.verify(token);
    } catch (InvalidTokenException e) {
      return Future.failedFuture(new Challenge(challenge(required, "invalid_token"), e.getMessage()));
    }
    for (Scope scope : required.scopes()) {
      if (!verified.allows(scope)) {
        return Future.failedFuture(new Challenge(challenge(required, "insufficient_scope"),
            "token does not grant " + scope));
      }
    }
    return Future.succeededFuture(verified.subject() == null ? "" : verified.subject());
  }

  private static String bearerToken(String header) {
    if (header == null || header.length() <= SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    String token = header.substring(SCHEME.length()).trim();
    return token.isEmpty() ? null : token;
  }

  private String challenge(RequiredAccess required, String error) {
    StringBuilder challenge = new StringBuilder("Bearer realm=").append(Challenge.quote(realm))
        .append(",service=").append(Challenge.quote(service));
    if (!required.scopes().isEmpty()) {
      challenge.append(",scope=").append(Challenge.quote(required.scopeParameter()));
    }
    if (error != null) {
      challenge.append(",error=").append(Challenge.quote(error));
    }
    return challenge.toString();
  }
}
