package io.berth.common.auth;

import java.util.Locale;

/**
 * A login refused before any password check: the account or the client address had too many failed logins lately, or
 * the process has too many password checks pending. The caller answers 429 with {@code Retry-After}.
 */
public final class LoginThrottled extends RuntimeException {
  /** Which limit refused the login; the label of {@code berth_login_throttled_total}. */
  public enum Scope {
    ACCOUNT, ADDRESS, PROCESS;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Scope scope;
  private final long retryAfterSeconds;

  /** The message is for the client: what happened and when to retry, never which limit or whose. */
  LoginThrottled(Scope scope, long retryAfterSeconds) {
    super((scope == Scope.PROCESS ? "too many logins waiting for a password check" : "too many failed logins")
        + "; retry after " + retryAfterSeconds + "s", null, false, false);
    this.scope = scope;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Scope scope() {
    return scope;
  }

  /** Whole seconds, at least 1: when the limit that refused the login lets the next attempt through. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
