package io.berth.auth.refresh;

import io.vertx.core.Future;

/** Opaque refresh tokens: issued for a subject and service, looked up until they expire, revoked. */
public interface RefreshTokenStore {
  /** A new token, usable once the returned future completes (it is durable by then). */
  Future<String> issue(String subject, String service);

  /** The grant behind a token; null when the token is unknown, was revoked or has expired. */
  Future<RefreshGrant> find(String token);

  /** Whether the token was known; afterwards it is not. */
  Future<Boolean> revoke(String token);
}
