package io.berth.gateway.auth;

import io.berth.common.auth.Logins;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code auth.htpasswd}: Basic credentials checked against the bcrypt file (off the event loop, re-read when it
 * changes), throttled per account and per client address ({@code auth.throttle}). As in distribution, any user the
 * file knows may do everything; the access a route needs only shapes the error detail.
 */
final class HtpasswdAuthenticator implements Authenticator {
  private final Logins users;
  private final String challenge;

  HtpasswdAuthenticator(Logins users, String realm) {
    this.users = users;
    this.challenge = "Basic realm=" + Challenge.quote(realm);
  }

  @Override
  public Future<String> authenticate(HttpServerRequest request, RequiredAccess required) {
    BasicCredentials credentials = BasicCredentials.parse(request.getHeader(HttpHeaders.AUTHORIZATION));
    if (credentials == null) {
      return Future.failedFuture(new Challenge(challenge, "no basic credentials"));
    }
    return users.login(credentials.user(), credentials.password(), request.remoteAddress()).compose(valid -> valid
        ? Future.succeededFuture(credentials.user())
        : Future.failedFuture(new Challenge(challenge, "wrong user name or password")));
  }
}
