package io.berth.auth;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** A compact JWS taken apart, for assertions; verification by the JDK, independent of the code under test. */
record Jwt(JsonObject header, JsonObject claims, byte[] signature, String signingInput) {
  static Jwt parse(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new AssertionError("not a compact JWS: " + parts.length + " parts");
    }
    Base64.Decoder url = Base64.getUrlDecoder();
    return new Jwt(new JsonObject(new String(url.decode(parts[0]), StandardCharsets.UTF_8)),
        new JsonObject(new String(url.decode(parts[1]), StandardCharsets.UTF_8)), url.decode(parts[2]),
        parts[0] + "." + parts[1]);
  }

  /** RS256: PKCS#1 v1.5; ES256: the raw R||S form of RFC 7518 §3.4, which is what JOSE verifiers read. */
  boolean verifiesWith(PublicKey key) throws GeneralSecurityException {
    String algorithm = switch (header.getString("alg")) {
      case "RS256" -> "SHA256withRSA";
      case "ES256" -> "SHA256withECDSAinP1363Format";
      default -> throw new AssertionError("unexpected alg " + header.getString("alg"));
    };
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(key);
    verifier.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return verifier.verify(signature);
  }
}
