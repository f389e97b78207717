package io.berth.auth.http;

import io.berth.auth.keys.SigningKey;
import io.berth.auth.refresh.RefreshTokenStore;
import io.berth.auth.token.TokenService;
import io.berth.auth.users.Users;
import io.vertx.ext.web.Router;

/** The token issuer's endpoints. */
public final class TokenRoutes {
  private final TokenService tokens;
  private final Users users;
  private final RefreshTokenStore refreshTokens;
  private final SigningKey key;
  private final String realm;

  public TokenRoutes(TokenService tokens, Users users, RefreshTokenStore refreshTokens, SigningKey key, String realm) {
    this.tokens = tokens;
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.key = key;
    this.realm = realm;
  }

  public void mount(Router router) {
    Authenticator authenticator = new Authenticator(users);
    Forms form = new Forms();
    router.route().handler(new ReadableTargets());
    // token.md: GET /token?service=…&scope=…, Basic credentials or anonymous
    router.get("/token").handler(new GetTokenHandler(tokens, authenticator));
    // oauth.md: POST /token, grant_type=password | refresh_token
    router.post("/token").handler(form).handler(new PostTokenHandler(tokens, authenticator, refreshTokens));
    // RFC 7009: POST /revoke token=<refresh token>
    router.post("/revoke").handler(form).handler(new RevokeHandler(refreshTokens));
    // RFC 7517: GET /keys, the JWK set of the signing key
    router.get("/keys").handler(new JwksHandler(key));
    TokenFailureHandler failures = new TokenFailureHandler(realm);
    router.route().failureHandler(failures);
    router.errorHandler(404, failures).errorHandler(405, failures);
  }
}
