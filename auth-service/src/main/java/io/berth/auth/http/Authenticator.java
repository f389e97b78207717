package io.berth.auth.http;

import io.berth.auth.users.Users;
import io.berth.common.auth.LoginThrottled;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Who asks: the account whose Basic credentials check out, {@code ""} without credentials, a 401 otherwise. */
final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  private static final String BASIC = "basic ";

  private final Users users;

  Authenticator(Users users) {
    this.users = users;
  }

  Future<String> account(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null) {
      return Future.succeededFuture("");
    }
    if (!header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      return Future.failedFuture(TokenException.invalidGrant("only Basic credentials are accepted here"));
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(TokenException.invalidGrant("malformed Basic credentials"));
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Future.failedFuture(TokenException.invalidGrant("malformed Basic credentials"));
    }
    return login(request, decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /** The account, after its password checked out; 429 when logins of the account or from the peer are throttled. */
  Future<String> login(HttpServerRequest request, String user, String password) {
    return users.verify(user, password, request.remoteAddress()).recover(failure -> {
      if (failure instanceof LoginThrottled throttled) {
        LOG.debug("login throttled [account: {}, scope: {}]", user, throttled.scope().label());
        return Future.failedFuture(TokenException.throttled(throttled.getMessage(), throttled.retryAfterSeconds()));
      }
      return Future.failedFuture(failure);
    }).compose(valid -> {
      if (!valid) {
        LOG.info("login refused: unknown user or wrong password [account: {}]", user);
        return Future.failedFuture(TokenException.invalidGrant("invalid username or password"));
      }
      return Future.succeededFuture(user);
    });
  }

  /** A refresh token's subject is still an account: removing a user from the file ends its refresh tokens. */
  Future<String> stillKnown(String user) {
    return users.exists(user).compose(exists -> exists ? Future.succeededFuture(user)
        : Future.failedFuture(TokenException.invalidGrant("unknown or revoked refresh token")));
  }
}
