package io.berth.gateway.auth;

import io.berth.common.error.ErrorCode;

/**
 * A refused request: the {@code WWW-Authenticate} value that tells the client how to authenticate, and a reason for
 * the debug log. The reason never holds a credential, only what was wrong with it.
 */
final class Challenge extends RuntimeException {
  private final String header;
  private final ErrorCode code;

  Challenge(String header, String reason) {
    this(header, reason, ErrorCode.UNAUTHORIZED);
  }

  /** {@code code}: UNAUTHORIZED when the caller is not known, INSUFFICIENT_SCOPE when it is but may not do this. */
  Challenge(String header, String reason, ErrorCode code) {
    super(reason, null, false, false);
    this.header = header;
    this.code = code;
  }

  String header() {
    return header;
  }

  ErrorCode code() {
    return code;
  }

  /** A quoted-string of RFC 9110 §5.6.4, as Go's %q writes the ones distribution sends. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
