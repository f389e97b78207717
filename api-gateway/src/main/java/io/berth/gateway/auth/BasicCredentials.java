package io.berth.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The user name and password of an {@code Authorization: Basic} header (RFC 7617). */
record BasicCredentials(String user, String password) {
  private static final String SCHEME = "basic ";

  /** Null when the header is absent, of another scheme, or not base64 of {@code user:password}. */
  static BasicCredentials parse(String header) {
    if (header == null || header.length() <= SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(SCHEME.length()).trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? null : new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /** Never shows the password, wherever a record ends up printed. */
  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + "]";
  }
}
