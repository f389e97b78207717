package io.berth.auth.http;

/** A token request refused: the HTTP status and the OAuth2 error code (RFC 6749 §5.2) the response carries. */
public final class TokenException extends RuntimeException {
  private final int status;
  private final String error;

  public TokenException(int status, String error, String description) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
  }

  static TokenException invalidRequest(String description) {
    return new TokenException(400, "invalid_request", description);
  }

  static TokenException invalidGrant(String description) {
    return new TokenException(401, "invalid_grant", description);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }
}
