package io.berth.common.oci;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashing by any algorithm the registry takes ({@link Digest#isSupported}): where content is named by the digest a
 * client chose (a sha512 upload verified at its commit, a manifest pushed by a sha512 reference). Uploads hash
 * SHA-256 as their bytes pass, through {@link Sha256} and the upload's running digest.
 */
public final class ContentDigest {
  private ContentDigest() {
  }

  /** A fresh JDK digest of {@code algorithm}, which must be one the registry takes. */
  public static MessageDigest create(String algorithm) {
    if (!Digest.isSupported(algorithm)) {
      throw new IllegalArgumentException("not a digest algorithm of the registry: " + algorithm);
    }
    try {
      return MessageDigest.getInstance(Digest.jcaName(algorithm));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + algorithm, e);
    }
  }

  public static Digest of(String algorithm, Buffer content) {
    MessageDigest digest = create(algorithm);
    Sha256.update(digest, content);
    return finish(algorithm, digest);
  }

  /** The digest of what {@code digest} (made by {@link #create} for {@code algorithm}) was fed. */
  public static Digest finish(String algorithm, MessageDigest digest) {
    return new Digest(algorithm, HexFormat.of().formatHex(digest.digest()));
  }
}
