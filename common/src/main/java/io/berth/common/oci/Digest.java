package io.berth.common.oci;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest {@code algorithm:encoded}; only the algorithms the registry can verify are accepted. */
public record Digest(String algorithm, String hex) {
  private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
  private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512_HEX = Pattern.compile("[a-f0-9]{128}");

  public static final String SHA256 = "sha256";
  public static final String SHA512 = "sha512";

  public static Digest parse(String text) {
    if (text == null || !GRAMMAR.matcher(text).matches()) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest: " + text);
    }
    int colon = text.indexOf(':');
    String algorithm = text.substring(0, colon);
    String hex = text.substring(colon + 1);
    Pattern expected = switch (algorithm) {
      case SHA256 -> SHA256_HEX;
      case SHA512 -> SHA512_HEX;
      default -> throw new RegistryException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
    };
    if (!expected.matcher(hex).matches()) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid " + algorithm + " digest: " + text);
    }
    return new Digest(algorithm, hex);
  }

  public static boolean isDigest(String text) {
    return text != null && text.indexOf(':') > 0;
  }

  public static Digest sha256(byte[] rawDigest) {
    return new Digest(SHA256, HexFormat.of().formatHex(rawDigest));
  }

  /** The JCA name of the algorithm, for {@link java.security.MessageDigest#getInstance(String)}. */
  public String jcaName() {
    return SHA512.equals(algorithm) ? "SHA-512" : "SHA-256";
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
