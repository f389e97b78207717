package io.berth.blob.upload;

import io.berth.common.oci.ContentDigest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.Sha256;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.security.MessageDigest;

/**
 * The digest of bytes on storage by an algorithm the client chose, read back as a stream: one chunk at a time, as
 * the driver's reader delivers them (its pace, never the whole file in memory), on a file system as on S3. An upload
 * completed with a digest that is not SHA-256, the algorithm its bytes are hashed by as they pass, is verified this
 * way at its commit, as distribution's {@code validateBlob} does: every upload hashes once while it streams, and only
 * a client that asks for another algorithm pays for a second read.
 */
final class StoredDigest {
  private StoredDigest() {
  }

  static Future<Digest> of(StorageDriver driver, String path, long size, String algorithm) {
    MessageDigest digest = ContentDigest.create(algorithm);
    return driver.reader(path, 0, size).compose(stream -> {
      Promise<Digest> done = Promise.promise();
      stream.exceptionHandler(done::tryFail)
          .endHandler(v -> done.tryComplete(ContentDigest.finish(algorithm, digest)))
          .handler(chunk -> Sha256.update(digest, chunk));
      return done.future();
    });
  }
}
