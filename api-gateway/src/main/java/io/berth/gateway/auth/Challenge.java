package io.berth.gateway.auth;

/**
 * A refused request: the {@code WWW-Authenticate} value that tells the client how to authenticate, and a reason for
 * the debug log. The reason never holds a credential, only what was wrong with it. Every refusal answers 401
 * {@code UNAUTHORIZED}, as distribution's does: whether the caller is unknown or lacks the access, the challenge says
 * (for tokens, {@code error="insufficient_scope"}), and clients read it there.
 */
final class Challenge extends RuntimeException {
  private final String header;

  Challenge(String header, String reason) {
    super(reason, null, false, false);
    this.header = header;
  }

  String header() {
    return header;
  }

  /** A quoted-string of RFC 9110 §5.6.4, as Go's %q writes the ones distribution sends. */
  static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
