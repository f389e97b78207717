package io.berth.blob.upload;

import io.berth.common.oci.Digest;
import io.vertx.core.buffer.Buffer;

/**
 * An upload's SHA-256 as its bytes pass. Two kinds: the JDK's, the fastest (its intrinsics hash at over 1 GB/s here),
 * whose state cannot leave the process; and a savable one (Bouncy Castle, about a tenth of the speed) whose state is
 * stored with the upload after each request, where the bytes cannot be read back to rebuild it (S3: a multipart
 * upload in progress has no object to read).
 */
interface RunningDigest {
  void update(Buffer chunk);

  /** The digest of the bytes so far; the state is left as it is for more. */
  Digest peek();

  /** The state in distribution's form (Go's encoding of a SHA-256 state), or null for a digest that cannot save it. */
  byte[] state();
}
