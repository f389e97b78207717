package io.berth.blob.health;

import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/**
 * Writes a small file at the storage root and stats it back. distribution only stats the root, which passes on a
 * read-only or full file system; a registry that cannot write cannot take a push, so the probe writes. The file lies
 * beside {@code docker/}, outside distribution's layout, where no listing or garbage collection looks. In read-only
 * mode nothing is pushed and the storage may well be mounted read-only, so the probe then only stats the root, as
 * distribution does (passing when the root does not exist, as distribution's does).
 */
final class StorageProbe {
  static final String PROBE_FILE = ".berth-health";

  private final StorageDriver driver;
  private final boolean readOnly;

  StorageProbe(StorageDriver driver, boolean readOnly) {
    this.driver = driver;
    this.readOnly = readOnly;
  }

  Future<Void> run() {
    if (readOnly) {
      // distribution's check: a root that is not there is a storage that answers, with nothing stored yet.
      return driver.stat("").<Void>mapEmpty().recover(failure -> failure instanceof PathNotFoundException
          ? Future.succeededFuture() : Future.failedFuture(failure));
    }
    return driver.write(PROBE_FILE, Buffer.buffer(Instant.now().toString()))
        .compose(v -> driver.stat(PROBE_FILE))
        .mapEmpty();
  }
}
