package io.berth.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Berth's own token issuer ({@code authserver}, a Berth-only section): where it listens, how it signs, who its users
 * are, what they may do and how failed logins are throttled. {@code expiration} is an access token's lifetime,
 * {@code refreshExpiration} a refresh token's. {@code keyFile}/{@code certificateFile} null: a key and self-signed
 * certificate are generated into {@code dataDirectory} on first start. {@code connections}: its server's timeouts
 * and connection caps.
 */
public record AuthServerConfig(boolean enabled, String bindHost, int port, String issuer, String service,
    Duration expiration, Duration refreshExpiration, String algorithm, Path keyFile, Path certificateFile,
    String keyIdForm, Path usersFile, List<AclRule> acl, LoginThrottleConfig throttle, Path dataDirectory,
    ConnectionLimits connections) {
  public static final Duration DEFAULT_REFRESH_EXPIRATION = Duration.ofHours(720);

  /** One ordered ACL rule, first match wins: matches account and repository (globs, {@code ${account}}), grants actions. */
  public record AclRule(String account, String type, String name, List<String> actions) {
  }

  public static AuthServerConfig disabled(Path dataDirectory) {
    return new AuthServerConfig(false, "0.0.0.0", 5001, "berth", "registry", Duration.ofMinutes(5),
        DEFAULT_REFRESH_EXPIRATION, "RS256", null, null, "thumbprint", null, List.of(), LoginThrottleConfig.DEFAULTS,
        dataDirectory, ConnectionLimits.defaults());
  }
}
