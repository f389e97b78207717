package io.berth.auth.keys;

import io.berth.common.auth.KeyIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * The key tokens are signed with, its certificate chain (leaf first) and the key id in the configured form.
 * Verifiers find the key through the {@code x5c} chain (distribution 2.8 and 3 both try it first) or the {@code kid}.
 */
public record SigningKey(String algorithm, PrivateKey privateKey, List<X509Certificate> chain, String keyId) {
  public SigningKey {
    chain = List.copyOf(chain);
  }

  public PublicKey publicKey() {
    return chain.get(0).getPublicKey();
  }

  /** The chain as the JWS {@code x5c} header carries it: standard base64 of each DER certificate (RFC 7515 §4.1.6). */
  public JsonArray x5c() {
    JsonArray encoded = new JsonArray();
    for (X509Certificate certificate : chain) {
      try {
        encoded.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a certificate that was parsed cannot be encoded", e);
      }
    }
    return encoded;
  }

  /** The public key as a JWK set member: what a verifier configured with a JWKS looks the {@code kid} up in. */
  public JsonObject jwk() {
    return KeyIds.jwk(publicKey()).put("kid", keyId).put("alg", algorithm).put("use", "sig");
  }

  /** PKCS#8 PEM, the form vertx-auth-jwt reads private keys in. */
  public String privateKeyPem() {
    return Pem.encode("PRIVATE KEY", privateKey.getEncoded());
  }
}
