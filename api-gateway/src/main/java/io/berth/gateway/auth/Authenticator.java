package io.berth.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/** One authentication mode of distribution's {@code auth} section. */
interface Authenticator {
  /**
   * Completes with the caller's name (null when the mode knows none), or fails with a {@link Challenge} when the
   * request lacks valid credentials or the access it needs, or with {@link io.berth.common.auth.LoginThrottled} when
   * too many logins failed lately. Any other failure is an internal error.
   */
  Future<String> authenticate(HttpServerRequest request, RequiredAccess required);
}
