package io.berth.auth.token;

import io.berth.auth.acl.AccessPolicy;
import io.berth.auth.refresh.RefreshTokenStore;
import io.berth.common.auth.Scope;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns an authenticated (or anonymous, {@code ""}) account and the scopes it asks for into a token grant. */
public final class TokenService {
  private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

  private final AccessPolicy policy;
  private final TokenIssuer issuer;
  private final RefreshTokenStore refreshTokens;
  private final String service;

  public TokenService(AccessPolicy policy, TokenIssuer issuer, RefreshTokenStore refreshTokens, String service) {
    this.policy = policy;
    this.issuer = issuer;
    this.refreshTokens = refreshTokens;
    this.service = service;
  }

  /** The audience of every token; token requests name it in {@code service}. */
  public String service() {
    return service;
  }

  /** {@code newRefreshToken}: issue one (only ever for a logged-in account), or pass one through, or null for none. */
  public Future<TokenGrant> grant(String account, List<Scope> requested, boolean newRefreshToken,
      String existingRefreshToken) {
    List<Scope> granted = policy.grant(account, requested);
    IssuedToken token = issuer.issue(account, service, granted);
    LOG.debug("token issued [account: {}, service: {}, access: {}]", account, service, granted);
    if (newRefreshToken && !account.isEmpty()) {
      return refreshTokens.issue(account, service).map(refresh -> new TokenGrant(token, granted, refresh));
    }
    return Future.succeededFuture(new TokenGrant(token, granted, existingRefreshToken));
  }
}
