package io.berth.common.auth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * The two key-id forms registries look keys up by: libtrust's (distribution 2.8: base32 of the first 240 bits of
 * SHA-256 over the DER public key, in 12 groups of 4) and the RFC 7638 JWK thumbprint (distribution 3).
 */
public final class KeyIds {
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private KeyIds() {
  }

  public static String libtrust(PublicKey key) {
    byte[] hash = Arrays.copyOf(sha256(key.getEncoded()), 30);
    StringBuilder encoded = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : hash) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        encoded.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < encoded.length(); i += 4) {
      if (i > 0) {
        grouped.append(':');
      }
      grouped.append(encoded, i, i + 4);
    }
    return grouped.toString();
  }

  /** RFC 7638: SHA-256 over the required JWK members in lexicographic order, base64url without padding. */
  public static String thumbprint(PublicKey key) {
    JsonObject jwk = jwk(key);
    String canonical = jwk.getString("kty").equals("RSA")
        ? "{\"e\":\"" + jwk.getString("e") + "\",\"kty\":\"RSA\",\"n\":\"" + jwk.getString("n") + "\"}"
        : "{\"crv\":\"" + jwk.getString("crv") + "\",\"kty\":\"EC\",\"x\":\"" + jwk.getString("x") + "\",\"y\":\""
            + jwk.getString("y") + "\"}";
    return base64Url(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  /** The public JWK of an RSA or P-256/P-384/P-521 key (RFC 7518 §6), without kid. */
  public static JsonObject jwk(PublicKey key) {
    if (key instanceof RSAPublicKey rsa) {
      return new JsonObject().put("kty", "RSA")
          .put("n", base64Url(unsigned(rsa.getModulus(), 0)))
          .put("e", base64Url(unsigned(rsa.getPublicExponent(), 0)));
    }
    if (key instanceof ECPublicKey ec) {
      int size = (ec.getParams().getCurve().getField().getFieldSize() + 7) / 8;
      String curve = switch (size) {
        case 32 -> "P-256";
        case 48 -> "P-384";
        default -> "P-521";
      };
      return new JsonObject().put("kty", "EC").put("crv", curve)
          .put("x", base64Url(unsigned(ec.getW().getAffineX(), size)))
          .put("y", base64Url(unsigned(ec.getW().getAffineY(), size)));
    }
    throw new IllegalArgumentException("unsupported key type " + key.getAlgorithm());
  }

  /** Big-endian magnitude, left-padded to {@code length} bytes when length > 0. */
  private static byte[] unsigned(BigInteger value, int length) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length <= bytes.length) {
      return bytes;
    }
    byte[] padded = new byte[length];
    System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
    return padded;
  }

  public static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
