package io.berth.blob.upload;

import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.vertx.core.shareddata.Lock;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An upload in progress. The bytes are on storage; this instance also holds the running SHA-256 so that finishing
 * does not re-read them. {@code digest} is null for a session restored from storage until its state is restored
 * (saved with the session, or rebuilt from its bytes); {@code size} is -1 until storage told it.
 */
final class UploadSession {
  final RepositoryName repository;
  final UploadId uuid;
  volatile long size;
  RunningDigest digest;
  /** Shared by the blob verticle instances of a process, so two requests on two event loops may race for it. */
  private final AtomicBoolean writing = new AtomicBoolean();
  /** The cluster-wide claim of the writer (see {@link UploadSessions}), released when the write ends. */
  private final AtomicReference<Lock> claim = new AtomicReference<>();

  UploadSession(RepositoryName repository, UploadId uuid, long size, RunningDigest digest) {
    this.repository = repository;
    this.uuid = uuid;
    this.size = size;
    this.digest = digest;
  }

  boolean tryBeginWrite() {
    return writing.compareAndSet(false, true);
  }

  boolean isWriting() {
    return writing.get();
  }

  void claimed(Lock lock) {
    claim.set(lock);
  }

  void endWrite() {
    Lock held = claim.getAndSet(null);
    if (held != null) {
      held.release();
    }
    writing.set(false);
  }
}
