package io.berth.auth.http;

import io.berth.auth.refresh.RefreshTokenStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /revoke} with form field {@code token} (RFC 7009): holding a refresh token is the right to end it.
 * 200 whether or not the token was known, so the endpoint does not tell which tokens exist (RFC 7009 §2.2).
 */
final class RevokeHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(RevokeHandler.class);

  private final RefreshTokenStore refreshTokens;

  RevokeHandler(RefreshTokenStore refreshTokens) {
    this.refreshTokens = refreshTokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    refreshTokens.revoke(Forms.required(Forms.of(ctx), "token"))
        .onSuccess(known -> {
          LOG.info("refresh token revocation [known: {}]", known);
          Responses.empty(ctx, 200);
        })
        .onFailure(ctx::fail);
  }
}
