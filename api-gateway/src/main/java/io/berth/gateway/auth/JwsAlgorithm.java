package io.berth.gateway.auth;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.List;

/**
 * The asymmetric JWS algorithms of RFC 7518 §3 (and EdDSA, RFC 8037) a token may be verified with. Each accepts only
 * the key type it is defined for, so a token can never pick how a trusted key is used: no HMAC with a public key,
 * no ES256 with a P-384 key. ES* signatures are JOSE's fixed-length r||s, which the JDK reads directly in its
 * IEEE P1363 form of ECDSA, so no DER re-encoding is needed.
 */
enum JwsAlgorithm {
  RS256("RS256", "SHA256withRSA", null),
  RS384("RS384", "SHA384withRSA", null),
  RS512("RS512", "SHA512withRSA", null),
  PS256("PS256", "RSASSA-PSS", pss("SHA-256", MGF1ParameterSpec.SHA256, 32)),
  PS384("PS384", "RSASSA-PSS", pss("SHA-384", MGF1ParameterSpec.SHA384, 48)),
  PS512("PS512", "RSASSA-PSS", pss("SHA-512", MGF1ParameterSpec.SHA512, 64)),
  ES256("ES256", "SHA256withECDSAinP1363Format", null),
  ES384("ES384", "SHA384withECDSAinP1363Format", null),
  ES512("ES512", "SHA512withECDSAinP1363Format", null),
  EDDSA("EdDSA", "Ed25519", null);

  /** distribution's default minus HMAC (a shared secret has no place in a public-key trust setup) and EdDSA. */
  static final List<JwsAlgorithm> DEFAULTS = List.of(RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512);

  private final String jose;
  private final String jdkName;
  private final AlgorithmParameterSpec parameters;

  JwsAlgorithm(String jose, String jdkName, AlgorithmParameterSpec parameters) {
    this.jose = jose;
    this.jdkName = jdkName;
    this.parameters = parameters;
  }

  /** The algorithm a JOSE {@code alg} names, or null for anything else ({@code none}, HS256, garbage). */
  static JwsAlgorithm named(String alg) {
    return Arrays.stream(values()).filter(value -> value.jose.equals(alg)).findFirst().orElse(null);
  }

  /** Whether {@code signature} is this algorithm's signature of {@code input} by {@code key}; false on any mismatch. */
  boolean verifies(PublicKey key, byte[] input, byte[] signature) {
    if (!fits(key, signature)) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance(jdkName);
      if (parameters != null) {
        verifier.setParameter(parameters);
      }
      verifier.initVerify(key);
      verifier.update(input);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private boolean fits(PublicKey key, byte[] signature) {
    return switch (this) {
      case RS256, RS384, RS512, PS256, PS384, PS512 -> key instanceof RSAPublicKey;
      case ES256 -> isEcKey(key, 256, signature);
      case ES384 -> isEcKey(key, 384, signature);
      case ES512 -> isEcKey(key, 521, signature);
      case EDDSA -> key instanceof EdECPublicKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())
          && signature.length == 64;
    };
  }

  /** RFC 7518 §3.4: the curve matches the algorithm and the signature is exactly two field-sized integers. */
  private static boolean isEcKey(PublicKey key, int fieldBits, byte[] signature) {
    return key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == fieldBits
        && signature.length == 2 * ((fieldBits + 7) / 8);
  }

  private static PSSParameterSpec pss(String digest, MGF1ParameterSpec mgf, int saltLength) {
    return new PSSParameterSpec(digest, "MGF1", mgf, saltLength, PSSParameterSpec.TRAILER_FIELD_BC);
  }
}
