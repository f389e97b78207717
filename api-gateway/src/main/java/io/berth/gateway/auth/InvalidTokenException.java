package io.berth.gateway.auth;

/** A bearer token that cannot be trusted; the message says why, for the debug log, and never quotes the token. */
final class InvalidTokenException extends Exception {
  InvalidTokenException(String reason) {
    super(reason, null, false, false);
  }
}
