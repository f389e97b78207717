package io.berth.common.config;

import java.time.Duration;

/**
 * How many failed logins an account, and a client address, may have per {@code window} before further attempts are
 * refused (429) without a password check: {@code auth.throttle} for the registry's htpasswd logins,
 * {@code authserver.throttle} for the token issuer's. 0 turns that limit off.
 */
public record LoginThrottleConfig(int accountFailures, int addressFailures, Duration window) {
  /** Stops online guessing (a guesser gets 10 tries a minute per account) and never bothers a human or a CI job. */
  public static final LoginThrottleConfig DEFAULTS = new LoginThrottleConfig(10, 30, Duration.ofMinutes(1));
}
