package io.berth.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * The nimbus-jose-jwt verifier of a trusted key. Each verifier supports only the algorithms of its key type (and an EC
 * verifier only its curve's), so a token can never pick how a trusted key is used: no HMAC with a public key, no
 * ES256 with a P-384 key, no RSA algorithm with an EC key. Nimbus also reads ES* signatures only in JOSE's
 * fixed-length r||s form.
 */
final class SignatureVerifiers {
  private SignatureVerifiers() {
  }

  /** The verifier of {@code key}; a key type or curve no JWS algorithm is defined for fails. */
  static JWSVerifier of(PublicKey key) throws JOSEException {
    if (key instanceof RSAPublicKey rsa) {
      return new RSASSAVerifier(rsa);
    }
    if (key instanceof ECPublicKey ec) {
      return new ECDSAVerifier(ec);
    }
    if (key instanceof EdECPublicKey ed) {
      return new Ed25519Verifier(ed);
    }
    throw new JOSEException("no JWS algorithm for " + key.getAlgorithm() + " keys");
  }
}
