package io.berth.blob.upload;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.storage.FileWriter;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Writes a stream of chunks into an upload session, hashing as the bytes pass (SHA-256). At the end of a request the
 * writer is closed (every byte durable) and the hash state saved; when the request carries the digest, the upload is
 * verified before it becomes a blob, and a mismatch deletes it, so no blob is made of unverified bytes. A SHA-256
 * digest is checked against the running hash before the writer commits; one of another algorithm (sha512) by reading
 * the committed file back ({@link StoredDigest}), before the file is moved among the blobs.
 */
final class UploadSink implements ChunkReceiver.Sink {
  private final UploadSession session;
  private final FileWriter writer;
  private final Digest expected;
  private final UploadSessions sessions;
  private final StorageDriver driver;
  private final BlobStore store;
  private final Consumer<BlobInfo> committed;
  private boolean writeFailed;

  UploadSink(UploadSession session, FileWriter writer, Digest expected, UploadSessions sessions,
      StorageDriver driver, BlobStore store, Consumer<BlobInfo> committed) {
    this.session = session;
    this.writer = writer;
    this.expected = expected;
    this.sessions = sessions;
    this.driver = driver;
    this.store = store;
    this.committed = committed;
  }

  @Override
  public Future<Void> write(Buffer chunk) {
    session.digest.update(chunk);
    session.size += chunk.length();
    return writer.write(chunk).onFailure(failure -> writeFailed = true).recover(this::unknownIfGone);
  }

  /**
   * A storage failure met after the session's files went away under the request (the client cancelled the upload
   * meanwhile, or it was purged): the upload is unknown now, which is the client's to hear, not an internal error.
   * Asked when the failure happens, before this request lets go of the session. How storage says it varies (a missing
   * file; on S3 NoSuchUpload, or InvalidPart from S3Proxy), so the session's own state decides.
   */
  private <T> Future<T> unknownIfGone(Throwable failure) {
    boolean gone = failure instanceof PathNotFoundException
        || !(failure instanceof RegistryException) && !sessions.holds(session);
    return Future.failedFuture(gone
        ? new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry: " + session.uuid
            + " was cancelled while this request wrote to it")
        : failure);
  }

  @Override
  public Future<JsonObject> finish() {
    if (expected == null) {
      return closed().map(v -> new UploadState(session.uuid, session.size).toJson());
    }
    boolean hashedWhileStreaming = Digest.SHA256.equals(expected.algorithm());
    if (hashedWhileStreaming) {
      Digest actual = session.digest.peek();
      if (!actual.equals(expected)) {
        return writer.cancel().transform(cancelled -> sessions.discard(driver, session))
            .onComplete(discarded -> session.endWrite())
            .transform(v -> Future.failedFuture(mismatch(actual)));
      }
    }
    // The session stays claimed until its file is among the blobs: a chunk let in after the verification would be
    // appended to the verified file (on a file system, to the blob itself once moved).
    return writer.commit()
        .recover(this::unknownIfGone)
        .compose(v -> hashedWhileStreaming ? Future.<Void>succeededFuture() : verifiedOnStorage())
        .onFailure(failure -> sessions.forget(session))
        .compose(v -> store.commit(session.repository, session.uuid, expected)
            .compose(info -> driver.delete(StorageLayout.upload(session.repository, session.uuid))
                .map(deleted -> {
                  sessions.committed(session);
                  committed.accept(info);
                  return info.toJson();
                }))
            .recover(this::unknownIfGone))
        .onComplete(done -> session.endWrite());
  }

  /**
   * Hashes the committed upload with the digest's algorithm (on S3 the multipart upload is an object now), while this
   * request still holds the session; a mismatch deletes the session, as a SHA-256 mismatch does.
   */
  private Future<Void> verifiedOnStorage() {
    return StoredDigest.of(driver, StorageLayout.uploadData(session.repository, session.uuid), session.size,
            expected.algorithm())
        .recover(this::unknownIfGone)
        .compose(actual -> actual.equals(expected) ? Future.<Void>succeededFuture()
            : sessions.discard(driver, session).transform(discarded -> Future.<Void>failedFuture(mismatch(actual))));
  }

  private RegistryException mismatch(Digest actual) {
    return new RegistryException(ErrorCode.DIGEST_INVALID,
        "provided digest " + expected + " does not match uploaded content " + actual, expected.toString());
  }

  /**
   * Every byte written so far is kept (closed and its hash state saved), so the client resumes where the stream
   * stopped; after a failed write the count and digest may include bytes that never reached storage, and the session
   * is restored from storage instead.
   */
  @Override
  public void abort() {
    closed().onComplete(done -> {
      if (done.failed() || writeFailed) {
        sessions.forget(session);
      }
    });
  }

  private Future<Void> closed() {
    return writer.close()
        .recover(this::unknownIfGone)
        .compose(v -> writeFailed || !sessions.holds(session) ? Future.succeededFuture()
            : sessions.saveHashState(driver, session))
        .onComplete(done -> {
          if (done.failed()) {
            sessions.forget(session);
          }
          session.endWrite();
        });
  }
}
