package io.berth.auth.http;

import io.berth.auth.token.TokenService;
import io.berth.common.auth.Scope;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /token?service=…&scope=…&offline_token=true&client_id=…&account=…} with Basic credentials or none
 * (token.md). Answers with both {@code token} and {@code access_token}; a refresh token only for a logged-in account
 * that asked for one ({@code docker login} does, and keeps it as its identity token).
 */
final class GetTokenHandler implements Handler<RoutingContext> {
  private final TokenService tokens;
  private final Authenticator authenticator;

  GetTokenHandler(TokenService tokens, Authenticator authenticator) {
    this.tokens = tokens;
    this.authenticator = authenticator;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    TokenRequests.checkService(request.getParam("service"), tokens.service());
    List<Scope> scopes = TokenRequests.scopes(ctx.queryParam("scope"));
    boolean offline = "true".equalsIgnoreCase(request.getParam("offline_token"));
    String claimedAccount = request.getParam("account");
    authenticator.account(request)
        .compose(account -> {
          if (!account.isEmpty() && claimedAccount != null && !claimedAccount.equals(account)) {
            return Future.failedFuture(TokenException.invalidRequest("account does not match the credentials"));
          }
          return tokens.grant(account, scopes, offline, null);
        })
        .onSuccess(grant -> Responses.json(ctx, 200,
            TokenRequests.body(grant).put("token", grant.token().jwt())))
        .onFailure(ctx::fail);
  }
}
