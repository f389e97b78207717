package io.berth.gateway.auth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/** The public key of a JSON Web Key (RFC 7517/7518 §6, RFC 8037 for Ed25519), as a {@code jwks} file holds them. */
final class Jwk {
  private static final Map<String, String> CURVES = Map.of("P-256", "secp256r1", "P-384", "secp384r1",
      "P-521", "secp521r1");
  /** The DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410), followed by the 32 raw key bytes. */
  private static final byte[] ED25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private Jwk() {
  }

  static PublicKey publicKey(JsonObject jwk) throws GeneralSecurityException {
    String kty = jwk.getString("kty");
    if ("RSA".equals(kty)) {
      return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
          unsigned(jwk, "n"), unsigned(jwk, "e")));
    }
    if ("EC".equals(kty)) {
      String curve = CURVES.get(jwk.getString("crv"));
      if (curve == null) {
        throw new GeneralSecurityException("unsupported EC curve " + jwk.getString("crv"));
      }
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
          new ECPoint(unsigned(jwk, "x"), unsigned(jwk, "y")), spec));
    }
    if ("OKP".equals(kty) && "Ed25519".equals(jwk.getString("crv"))) {
      byte[] x = bytes(jwk, "x");
      if (x.length != 32) {
        throw new GeneralSecurityException("an Ed25519 key has 32 bytes, got " + x.length);
      }
      byte[] encoded = new byte[ED25519_PREFIX.length + 32];
      System.arraycopy(ED25519_PREFIX, 0, encoded, 0, ED25519_PREFIX.length);
      System.arraycopy(x, 0, encoded, ED25519_PREFIX.length, 32);
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encoded));
    }
    throw new GeneralSecurityException("unsupported key type " + kty + (jwk.containsKey("crv")
        ? " (" + jwk.getString("crv") + ")" : ""));
  }

  private static BigInteger unsigned(JsonObject jwk, String member) throws GeneralSecurityException {
    return new BigInteger(1, bytes(jwk, member));
  }

  private static byte[] bytes(JsonObject jwk, String member) throws GeneralSecurityException {
    Object value = jwk.getValue(member);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw new GeneralSecurityException("member " + member + " is missing");
    }
    try {
      return Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("member " + member + " is not base64url", e);
    }
  }
}
