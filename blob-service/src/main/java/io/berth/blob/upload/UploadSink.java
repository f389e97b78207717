package io.berth.blob.upload;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.storage.FileWriter;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * Writes a stream of chunks into an upload session, hashing as the bytes pass. At the end of a request the writer is
 * closed (every byte durable) and the hash state saved; when the request carries the digest, the upload is verified
 * before its file is committed, and a mismatch cancels it, so no blob is made of unverified bytes.
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
    return writer.write(chunk).onFailure(failure -> writeFailed = true);
  }

  @Override
  public Future<JsonObject> finish() {
    if (expected == null) {
      return closed().map(v -> new UploadState(session.uuid, session.size).toJson());
    }
    Digest actual = session.digest.peek();
    if (!actual.equals(expected)) {
      return writer.cancel().transform(cancelled -> sessions.discard(driver, session))
          .onComplete(discarded -> session.endWrite())
          .transform(v -> Future.failedFuture(new RegistryException(ErrorCode.DIGEST_INVALID,
              "provided digest " + expected + " does not match uploaded content " + actual, expected.toString())));
    }
    return writer.commit()
        .onComplete(done -> {
          if (done.failed()) {
            sessions.forget(session);
          }
          session.endWrite();
        })
        .compose(v -> store.commit(session.repository, session.uuid, expected))
        .compose(info -> driver.delete(StorageLayout.upload(session.repository, session.uuid))
            .map(v -> {
              sessions.committed(session);
              committed.accept(info);
              return info.toJson();
            }));
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
        .compose(v -> writeFailed ? Future.succeededFuture() : sessions.saveHashState(driver, session))
        .onComplete(done -> {
          if (done.failed()) {
            sessions.forget(session);
          }
          session.endWrite();
        });
  }
}
