package io.berth.common.config;

import java.nio.file.Path;
import java.util.List;

/** distribution's {@code auth} section: no authentication, {@code htpasswd}, or {@code token}. */
public sealed interface AuthConfig {
  /** The embedded default: every request is allowed. */
  record None() implements AuthConfig {
  }

  /**
   * {@code auth.htpasswd}: Basic credentials checked against a bcrypt htpasswd file; any user may do anything. Failed
   * logins are throttled as {@code auth.throttle} says (a Berth-only key beside the provider).
   */
  record Htpasswd(String realm, Path path, LoginThrottleConfig throttle) implements AuthConfig {
  }

  /**
   * {@code auth.token}: Bearer JWTs from a token issuer, trusted by certificate chain ({@code x5c}) against
   * {@code rootcertbundle}, or by key id from the bundle or {@code jwks}; {@code signingAlgorithms} empty means
   * RS256/384/512, ES256/384/512 and PS256/384/512.
   */
  record Token(String realm, String service, String issuer, Path rootCertBundle, Path jwks,
      List<String> signingAlgorithms, boolean autoRedirect) implements AuthConfig {
  }
}
