package io.berth.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;

/**
 * EdDSA (RFC 8037) on the JDK's Ed25519. nimbus-jose-jwt's own Ed25519 verifier and its OKP key conversion need Google
 * Tink and protobuf (some 4 MB) for an algorithm the gateway only accepts when configured; the JDK has had Ed25519
 * since 15.
 */
final class Ed25519Verifier implements JWSVerifier {
  /** The DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410), followed by the 32 raw key bytes. */
  private static final byte[] ED25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
  private static final int SIGNATURE_BYTES = 64;

  private final EdECPublicKey key;
  private final JCAContext context = new JCAContext();

  Ed25519Verifier(EdECPublicKey key) throws JOSEException {
    if (!"Ed25519".equalsIgnoreCase(key.getParams().getName())) {
      throw new JOSEException("no JWS algorithm for " + key.getParams().getName() + " keys");
    }
    this.key = key;
  }

  /** The public key of a JWK with {@code "kty":"OKP","crv":"Ed25519"}. */
  static PublicKey publicKey(OctetKeyPair jwk) throws GeneralSecurityException {
    if (!Curve.Ed25519.equals(jwk.getCurve())) {
      throw new GeneralSecurityException("unsupported key type OKP (" + jwk.getCurve() + ")");
    }
    byte[] x = jwk.getDecodedX();
    if (x.length != 32) {
      throw new GeneralSecurityException("an Ed25519 key has 32 bytes, got " + x.length);
    }
    byte[] encoded = new byte[ED25519_PREFIX.length + x.length];
    System.arraycopy(ED25519_PREFIX, 0, encoded, 0, ED25519_PREFIX.length);
    System.arraycopy(x, 0, encoded, ED25519_PREFIX.length, x.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
      throw new JOSEException("an Ed25519 key verifies EdDSA only, not " + header.getAlgorithm());
    }
    byte[] bytes = signature.decode();
    if (bytes.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(bytes);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA);
  }

  @Override
  public JCAContext getJCAContext() {
    return context;
  }
}
