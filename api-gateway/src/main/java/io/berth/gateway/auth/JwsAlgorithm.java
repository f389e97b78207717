package io.berth.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Arrays;
import java.util.List;

/**
 * The asymmetric JWS algorithms of RFC 7518 §3 (and EdDSA, RFC 8037) a token may be verified with, as nimbus-jose-jwt
 * names them. Which key type each one accepts is the verifiers' business ({@link SignatureVerifiers}).
 */
enum JwsAlgorithm {
  RS256(JWSAlgorithm.RS256),
  RS384(JWSAlgorithm.RS384),
  RS512(JWSAlgorithm.RS512),
  PS256(JWSAlgorithm.PS256),
  PS384(JWSAlgorithm.PS384),
  PS512(JWSAlgorithm.PS512),
  ES256(JWSAlgorithm.ES256),
  ES384(JWSAlgorithm.ES384),
  ES512(JWSAlgorithm.ES512),
  EDDSA(JWSAlgorithm.EdDSA);

  /** distribution's default minus HMAC (a shared secret has no place in a public-key trust setup) and EdDSA. */
  static final List<JwsAlgorithm> DEFAULTS = List.of(RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512);

  private final JWSAlgorithm jose;

  JwsAlgorithm(JWSAlgorithm jose) {
    this.jose = jose;
  }

  /** The algorithm a JOSE {@code alg} names, or null for anything else ({@code none}, HS256, garbage). */
  static JwsAlgorithm named(String alg) {
    return Arrays.stream(values()).filter(value -> value.jose.getName().equals(alg)).findFirst().orElse(null);
  }

  JWSAlgorithm jose() {
    return jose;
  }
}
