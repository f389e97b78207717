package io.berth.gateway.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints compact JWS tokens in tests, with java.security alone, including the malformed ones an attacker sends. */
final class Jwts {
  static final String ISSUER = "berth-test-issuer";
  static final String SERVICE = "registry.test";
  static final String REALM = "https://auth.test/token";

  private Jwts() {
  }

  /** The gateway's {@code auth} section trusting tokens of this realm, service and issuer signed under the bundle. */
  static String tokenAuth(Path bundle) {
    return "  token:\n"
        + "    realm: " + REALM + "\n"
        + "    service: " + SERVICE + "\n"
        + "    issuer: " + ISSUER + "\n"
        + "    rootcertbundle: " + bundle + "\n";
  }

  static JsonObject claims(JsonArray access) {
    long now = Instant.now().getEpochSecond();
    return new JsonObject().put("iss", ISSUER).put("sub", "alice").put("aud", SERVICE)
        .put("exp", now + 300).put("nbf", now - 5).put("iat", now).put("jti", UUID.randomUUID().toString())
        .put("access", access);
  }

  static JsonArray access(String type, String name, String... actions) {
    return new JsonArray().add(grant(type, name, actions));
  }

  static JsonObject grant(String type, String name, String... actions) {
    return new JsonObject().put("type", type).put("name", name).put("actions", new JsonArray(List.of(actions)));
  }

  static JsonObject header(String alg) {
    return new JsonObject().put("typ", "JWT").put("alg", alg);
  }

  /** Signs with the JOSE algorithm named in the header (RS*, PS*, ES* as r||s, EdDSA). */
  static String sign(JsonObject header, JsonObject claims, PrivateKey key) throws Exception {
    String input = encode(header) + "." + encode(claims);
    Signature signer = switch (header.getString("alg")) {
      case "RS256" -> Signature.getInstance("SHA256withRSA");
      case "RS512" -> Signature.getInstance("SHA512withRSA");
      case "PS256" -> pss();
      case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
      case "ES384" -> Signature.getInstance("SHA384withECDSAinP1363Format");
      case "EdDSA" -> Signature.getInstance("Ed25519");
      default -> throw new IllegalArgumentException(header.getString("alg"));
    };
    signer.initSign(key);
    signer.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(signer.sign());
  }

  /** An HMAC signature keyed with arbitrary bytes, e.g. the issuer's public key (the algorithm-confusion attack). */
  static String hmac(JsonObject header, JsonObject claims, byte[] secret) throws Exception {
    String input = encode(header) + "." + encode(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, "HmacSHA256"));
    return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  static String unsigned(JsonObject header, JsonObject claims) {
    return encode(header) + "." + encode(claims) + ".";
  }

  static String encode(JsonObject json) {
    return b64(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Signature pss() throws Exception {
    Signature signature = Signature.getInstance("RSASSA-PSS");
    signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    return signature;
  }
}
