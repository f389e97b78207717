package io.berth.auth.http;

/**
 * A token request refused: the HTTP status and the OAuth2 error code (RFC 6749 §5.2) the response carries, and for a
 * throttled login the seconds of its {@code Retry-After}.
 */
public final class TokenException extends RuntimeException {
  private final int status;
  private final String error;
  private final long retryAfterSeconds;

  public TokenException(int status, String error, String description) {
    this(status, error, description, 0);
  }

  private TokenException(int status, String error, String description, long retryAfterSeconds) {
    super(description, null, false, false);
    this.status = status;
    this.error = error;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static TokenException invalidRequest(String description) {
    return new TokenException(400, "invalid_request", description);
  }

  static TokenException invalidGrant(String description) {
    return new TokenException(401, "invalid_grant", description);
  }

  /**
   * Too many failed logins lately: 429, with the OAuth2 code that RFC 6749 registers for a server that cannot handle
   * the request for now ({@code temporarily_unavailable}; there is none for rate limits).
   */
  static TokenException throttled(String description, long retryAfterSeconds) {
    return new TokenException(429, "temporarily_unavailable", description, retryAfterSeconds);
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  /** 0 unless the client should wait before its next attempt. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
