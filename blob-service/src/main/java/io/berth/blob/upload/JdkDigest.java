package io.berth.blob.upload;

import io.berth.common.oci.Digest;
import io.berth.common.oci.Sha256;
import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;

/** The JDK's SHA-256: rebuilt from the bytes when the session moves to another process. */
final class JdkDigest implements RunningDigest {
  private final MessageDigest digest = Sha256.create();

  @Override
  public void update(Buffer chunk) {
    Sha256.update(digest, chunk);
  }

  @Override
  public Digest peek() {
    return Sha256.peek(digest);
  }

  @Override
  public byte[] state() {
    return null;
  }
}
