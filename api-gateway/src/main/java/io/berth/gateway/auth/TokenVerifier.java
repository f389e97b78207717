package io.berth.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies a compact JWS bearer token the way distribution 3 does (registry/auth/token/token.go): the header's
 * {@code alg} must be on the allow-list, the signing key must be trusted ({@link TrustedKeys}) and its signature
 * must verify, and only then are the claims read: {@code iss} is the issuer, {@code aud} (a string or a list)
 * holds the service, {@code exp} and {@code nbf} hold with 60 s leeway, {@code iat}, {@code sub} and {@code jti} are of
 * their types, and {@code access} lists the grants.
 */
final class TokenVerifier {
  static final Duration LEEWAY = Duration.ofSeconds(60);
  private static final long MAX_SECONDS = Long.MAX_VALUE / 1000 - LEEWAY.getSeconds();
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

  private final TrustedKeys keys;
  private final Set<JwsAlgorithm> algorithms;
  private final DefaultJWTClaimsVerifier<SecurityContext> registeredClaims;

  TokenVerifier(TrustedKeys keys, Set<JwsAlgorithm> algorithms, String issuer, String service, Clock clock) {
    this.keys = keys;
    this.algorithms = Set.copyOf(algorithms);
    this.registeredClaims = registeredClaims(issuer, service, clock);
  }

  VerifiedToken verify(String token) throws InvalidTokenException {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("not a compact JWS (" + parts.length + " parts)");
    }
    JsonObject header = json(decode(parts[0], "header"), "header");
    JwsAlgorithm algorithm = header.getValue("alg") instanceof String alg ? JwsAlgorithm.named(alg) : null;
    if (algorithm == null || !algorithms.contains(algorithm)) {
      throw new InvalidTokenException("signing algorithm not allowed");
    }
    if (header.containsKey("crit")) {
      throw new InvalidTokenException("critical header parameters are not understood");
    }
    decode(parts[2], "signature");
    byte[] signingInput = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!signedByAnyOf(keys.signingKeys(header), algorithm, signingInput, new Base64URL(parts[2]))) {
      throw new InvalidTokenException("signature does not verify with the trusted key");
    }
    byte[] payload = decode(parts[1], "payload");
    return claims(json(payload, "payload"), new String(payload, StandardCharsets.UTF_8));
  }

  /**
   * nimbus checks the signature; the header it is shown holds only the algorithm, since key selection and the other
   * header parameters are settled above. A verifier refuses an algorithm outside its key type's.
   */
  private static boolean signedByAnyOf(List<JWSVerifier> candidates, JwsAlgorithm algorithm, byte[] input,
      Base64URL signature) {
    JWSHeader header = new JWSHeader(algorithm.jose());
    for (JWSVerifier verifier : candidates) {
      try {
        if (verifier.supportedJWSAlgorithms().contains(algorithm.jose())
            && verifier.verify(header, input, signature)) {
          return true;
        }
      } catch (JOSEException e) {
        // a key the algorithm does not fit verifies nothing; the next candidate may fit
      }
    }
    return false;
  }

  /**
   * nimbus checks the registered claims ({@link #registeredClaims}); what it does not know is checked first: the
   * types distribution's decoder refuses (a time that is no whole number of seconds in an int64, a {@code jti} or
   * {@code sub} that is no string) and the {@code access} grants.
   */
  private VerifiedToken claims(JsonObject claims, String payload) throws InvalidTokenException {
    for (String time : List.of("exp", "nbf", "iat")) {
      wholeSeconds(claims, time);
    }
    optionalString(claims, "jti");
    String subject = optionalString(claims, "sub");
    Map<VerifiedToken.Resource, Set<String>> access = access(claims.getValue("access"));
    try {
      registeredClaims.verify(JWTClaimsSet.parse(payload), null);
    } catch (java.text.ParseException | BadJWTException e) {
      throw new InvalidTokenException("claims refused: " + e.getMessage());
    }
    return new VerifiedToken(subject, access);
  }

  /**
   * {@code iss} is the issuer, {@code aud} (a string or a list) holds the service, and {@code exp} (required: a missing
   * one counts as 0 in distribution, long expired) and {@code nbf} hold with {@link #LEEWAY}. nimbus compares
   * strictly and distribution with the leeway's end included, so nimbus is shown the clock one millisecond early: an
   * {@code exp} ends exactly where distribution's does, and an {@code nbf} begins at most 2 ms after it.
   */
  private static DefaultJWTClaimsVerifier<SecurityContext> registeredClaims(String issuer, String service,
      Clock clock) {
    DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(Set.of(service),
        new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp"), Set.of()) {
      @Override
      protected Date currentTime() {
        return new Date(clock.millis() - 1);
      }
    };
    verifier.setMaxClockSkew((int) LEEWAY.getSeconds());
    return verifier;
  }

  private static String optionalString(JsonObject claims, String claim) throws InvalidTokenException {
    Object value = claims.getValue(claim);
    if (value != null && !(value instanceof String)) {
      throw new InvalidTokenException(claim + " is not a string");
    }
    return (String) value;
  }

  /**
   * A time claim as distribution reads it, whole seconds in an int64; one whose milliseconds, leeway included, a long
   * cannot hold (some 290 million years either way) names no time and makes the token invalid, where nimbus would
   * overflow into another time.
   */
  private static void wholeSeconds(JsonObject claims, String claim) throws InvalidTokenException {
    Object value = claims.getValue(claim);
    if (value == null) {
      return;
    }
    if (!(value instanceof Integer || value instanceof Long)) {
      throw new InvalidTokenException(claim + " is not a whole number of seconds");
    }
    long seconds = ((Number) value).longValue();
    if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) {
      throw new InvalidTokenException(claim + " is out of range");
    }
  }

  private static Map<VerifiedToken.Resource, Set<String>> access(Object claim) throws InvalidTokenException {
    Map<VerifiedToken.Resource, Set<String>> access = new HashMap<>();
    if (claim == null) {
      return access;
    }
    if (!(claim instanceof JsonArray entries)) {
      throw new InvalidTokenException("access is not a list");
    }
    for (Object entry : entries) {
      if (!(entry instanceof JsonObject grant) || !(grant.getValue("type") instanceof String type)
          || !(grant.getValue("name") instanceof String name)) {
        throw new InvalidTokenException("access entry without type and name");
      }
      Object actions = grant.getValue("actions");
      Set<String> granted = actions == null ? Set.of() : actions instanceof JsonArray list ? strings(list, "actions")
          : null;
      if (granted == null) {
        throw new InvalidTokenException("access actions are not a list");
      }
      access.computeIfAbsent(new VerifiedToken.Resource(type, name), any -> new HashSet<>()).addAll(granted);
    }
    access.replaceAll((resource, actions) -> Set.copyOf(actions));
    return access;
  }

  private static Set<String> strings(JsonArray list, String claim) throws InvalidTokenException {
    Set<String> values = new HashSet<>();
    for (Object value : list) {
      if (!(value instanceof String text)) {
        throw new InvalidTokenException(claim + " holds a non-string");
      }
      values.add(text);
    }
    return values;
  }

  /** Unpadded base64url only (RFC 7515 §2), as go-jose reads it; padding or other characters make a malformed token. */
  private static byte[] decode(String part, String what) throws InvalidTokenException {
    if (!BASE64URL.matcher(part).matches()) {
      throw new InvalidTokenException(what + " is not base64url");
    }
    try {
      return Base64.getUrlDecoder().decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException(what + " is not base64url");
    }
  }

  private static JsonObject json(byte[] bytes, String what) throws InvalidTokenException {
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidTokenException(what + " is not a JSON object");
    }
  }
}
