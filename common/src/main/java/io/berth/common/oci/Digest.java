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

  /** Every instance is checked, however it is made: its algorithm and hex name a directory on storage. */
  public Digest {
    if (!isSupported(algorithm)) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "unsupported digest algorithm: " + algorithm);
    }
    if (!isValid(algorithm, hex)) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid " + algorithm + " digest: " + algorithm + ":"
          + hex);
    }
  }

  public static Digest parse(String text) {
    if (text == null || !GRAMMAR.matcher(text).matches()) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "invalid digest: " + text);
    }
    int colon = text.indexOf(':');
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** Whether {@code algorithm:hex} is a digest the registry takes, without the exception of the constructor. */
  public static boolean isValid(String algorithm, String hex) {
    return isSupported(algorithm) && hex != null
        && (SHA256.equals(algorithm) ? SHA256_HEX : SHA512_HEX).matcher(hex).matches();
  }

  /** Whether the registry can verify digests of this algorithm (so store them). */
  public static boolean isSupported(String algorithm) {
    return SHA256.equals(algorithm) || SHA512.equals(algorithm);
  }

  public static boolean isDigest(String text) {
    return text != null && text.indexOf(':') > 0;
  }

  public static Digest sha256(byte[] rawDigest) {
    return new Digest(SHA256, HexFormat.of().formatHex(rawDigest));
  }

  /** The JCA name of the algorithm, for {@link java.security.MessageDigest#getInstance(String)}. */
  public String jcaName() {
    return jcaName(algorithm);
  }

  /** The JCA name of a supported algorithm ({@link #isSupported}). */
  public static String jcaName(String algorithm) {
    return SHA512.equals(algorithm) ? "SHA-512" : "SHA-256";
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
