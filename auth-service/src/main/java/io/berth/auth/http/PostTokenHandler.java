package io.berth.auth.http;

import io.berth.auth.refresh.RefreshTokenStore;
import io.berth.auth.token.TokenGrant;
import io.berth.auth.token.TokenService;
import io.berth.common.auth.Scope;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code POST /token}, the OAuth2 form (oauth.md): {@code grant_type=password} with username and password, or
 * {@code grant_type=refresh_token}; {@code scope} space-separated; {@code access_type=offline} asks for a refresh
 * token. A refresh grant hands the same refresh token back rather than a new one: Docker keeps the token it logged
 * in with and would not learn of a replacement.
 */
final class PostTokenHandler implements Handler<RoutingContext> {
  private final TokenService tokens;
  private final Authenticator authenticator;
  private final RefreshTokenStore refreshTokens;

  PostTokenHandler(TokenService tokens, Authenticator authenticator, RefreshTokenStore refreshTokens) {
    this.tokens = tokens;
    this.authenticator = authenticator;
    this.refreshTokens = refreshTokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap form = Forms.of(ctx);
    TokenRequests.checkService(form.get("service"), tokens.service());
    List<Scope> scopes = TokenRequests.scopes(form.getAll("scope"));
    boolean offline = "offline".equals(form.get("access_type"));
    String grantType = form.get("grant_type");
    Future<TokenGrant> grant;
    if ("password".equals(grantType)) {
      grant = authenticator.login(ctx.request(), Forms.required(form, "username"),
          Forms.required(form, "password"))
          .compose(account -> tokens.grant(account, scopes, offline, null));
    } else if ("refresh_token".equals(grantType)) {
      String refreshToken = Forms.required(form, "refresh_token");
      grant = refreshTokens.find(refreshToken)
          .compose(found -> found == null || !found.service().equals(tokens.service())
              ? Future.failedFuture(TokenException.invalidGrant("unknown, expired or revoked refresh token"))
              : authenticator.stillKnown(found.subject()))
          .compose(account -> tokens.grant(account, scopes, false, offline ? refreshToken : null));
    } else {
      throw new TokenException(400, "unsupported_grant_type",
          "grant_type must be password or refresh_token, got \"" + grantType + "\"");
    }
    grant.onSuccess(granted -> Responses.json(ctx, 200, TokenRequests.body(granted).put("scope", granted.scope())))
        .onFailure(ctx::fail);
  }
}
