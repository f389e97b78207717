package io.berth.blob.store;

import io.berth.common.bus.message.BlobInfo;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Blobs as a repository sees them: a blob belongs to a repository when the repository links it, and its bytes
 * are stored once, content-addressed, whoever linked it.
 */
public final class BlobStore {
  private final StorageDriver driver;
  private final Duration refreshAfter;

  public BlobStore(StorageDriver driver) {
    this(driver, null);
  }

  /**
   * {@code refreshAfter}: while garbage collection runs alongside (null: it does not), a blob this store answers
   * for gets its modification time set to now once it is older than that, so that the collector, which spares what
   * changed within its grace period, never deletes a blob a client was just told exists.
   */
  public BlobStore(StorageDriver driver, Duration refreshAfter) {
    this.driver = driver;
    this.refreshAfter = refreshAfter;
  }

  /** The blob if this repository links it, else BLOB_UNKNOWN. */
  public Future<BlobInfo> stat(RepositoryName repository, Digest digest) {
    return driver.read(StorageLayout.layerLink(repository, digest))
        .compose(link -> StorageLayout.parseLink(link).equals(digest)
            ? info(digest)
            : Future.failedFuture(new PathNotFoundException(StorageLayout.layerLink(repository, digest))))
        .recover(failure -> Future.failedFuture(unknown(failure, digest)));
  }

  private Future<BlobInfo> info(Digest digest) {
    String data = StorageLayout.blobData(digest);
    return driver.stat(data)
        .compose(stat -> refreshAfter == null
            || System.currentTimeMillis() - stat.modifiedMillis() < refreshAfter.toMillis()
            ? Future.succeededFuture(stat) : driver.touch(data).map(stat))
        .map(stat -> new BlobInfo(digest.toString(), stat.size(),
            driver.localPath(data).map(Path::toString).orElse(null)));
  }

  private static Throwable unknown(Throwable failure, Digest digest) {
    return failure instanceof PathNotFoundException
        ? new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry: " + digest, digest.toString())
        : failure;
  }

  public Future<Void> link(RepositoryName repository, Digest digest) {
    return driver.write(StorageLayout.layerLink(repository, digest), StorageLayout.link(digest));
  }

  /** Removes the repository's link; the bytes stay until garbage collection finds nothing links them. */
  public Future<Void> unlink(RepositoryName repository, Digest digest) {
    return stat(repository, digest)
        .compose(info -> driver.delete(StorageLayout.layerLinkDirectory(repository, digest)));
  }

  /**
   * Moves verified upload data into its content-addressed place (unless the same bytes are already there), then
   * links it: the link is written last, so no reader ever finds a link to bytes that are not in place. Bytes kept
   * or moved get a fresh modification time first, which keeps garbage collection off them for its grace period:
   * touching the stored copy succeeds only while it exists, and an upload's last write may be long past.
   */
  public Future<BlobInfo> commit(RepositoryName repository, UploadId upload, Digest digest) {
    String uploadData = StorageLayout.uploadData(repository, upload);
    String target = StorageLayout.blobData(digest);
    return driver.touch(target)
        .recover(failure -> failure instanceof PathNotFoundException
            ? driver.touch(uploadData).compose(v -> driver.move(uploadData, target)) : Future.failedFuture(failure))
        .compose(v -> link(repository, digest))
        .compose(v -> info(digest));
  }
}
