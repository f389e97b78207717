package io.berth.manifest.validate;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.manifest.store.ManifestStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A manifest may only be stored once everything it references is in the repository: its blobs (asked of the blob
 * service) and, for an index, its child manifests. Anything missing answers MANIFEST_BLOB_UNKNOWN naming it.
 */
public final class ReferenceChecker {
  private final BusClient bus;
  private final ManifestStore store;

  public ReferenceChecker(BusClient bus, ManifestStore store) {
    this.bus = bus;
    this.store = store;
  }

  /** At most {@link BoundedFanOut#PER_REQUEST} checks in flight: an index may name thousands of children. */
  public Future<Void> check(RepositoryName repository, ParsedManifest manifest) {
    List<Supplier<Future<Void>>> checks = new ArrayList<>();
    for (Digest blob : manifest.blobs()) {
      checks.add(() -> bus.requestIdempotent(Addresses.BLOB_STAT, new BlobRequest(repository.value(), blob.toString()).toJson())
          .<Void>mapEmpty()
          .recover(failure -> Future.failedFuture(isUnknown(failure) ? missing(blob, "blob") : failure)));
    }
    for (Digest child : manifest.children()) {
      checks.add(() -> store.existsForReference(repository, child)
          .compose(present -> present ? Future.<Void>succeededFuture()
              : Future.failedFuture(missing(child, "manifest"))));
    }
    return BoundedFanOut.map(checks, Supplier::get).mapEmpty();
  }

  private static boolean isUnknown(Throwable failure) {
    return failure instanceof RegistryException error && error.errorCode() == ErrorCode.BLOB_UNKNOWN;
  }

  private static RegistryException missing(Digest digest, String kind) {
    return new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN,
        "manifest references a " + kind + " unknown to the repository: " + digest, digest.toString());
  }
}
