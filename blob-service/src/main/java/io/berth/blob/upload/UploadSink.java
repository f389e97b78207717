package io.berth.blob.upload;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.Sha256;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import java.util.function.Consumer;

/** Writes a stream of chunks into an upload session, hashing as the bytes pass; commits at the end if asked to. */
final class UploadSink implements ChunkReceiver.Sink {
  private final UploadSession session;
  private final WriteStream<Buffer> file;
  private final Digest expected;
  private final UploadSessions sessions;
  private final StorageDriver driver;
  private final BlobStore store;
  private final Consumer<BlobInfo> committed;

  UploadSink(UploadSession session, WriteStream<Buffer> file, Digest expected, UploadSessions sessions,
      StorageDriver driver, BlobStore store, Consumer<BlobInfo> committed) {
    this.session = session;
    this.file = file;
    this.expected = expected;
    this.sessions = sessions;
    this.driver = driver;
    this.store = store;
    this.committed = committed;
  }

  @Override
  public Future<Void> write(Buffer chunk) {
    Sha256.update(session.digest, chunk);
    session.size += chunk.length();
    return file.write(chunk);
  }

  @Override
  public Future<JsonObject> finish() {
    return file.end()
        .onComplete(closed -> {
          if (closed.failed()) {
            sessions.forget(session);
          }
          session.endWrite();
        })
        .compose(v -> expected == null ? Future.succeededFuture(new UploadState(session.uuid, session.size).toJson())
            : commit());
  }

  private Future<JsonObject> commit() {
    Digest actual = Sha256.peek(session.digest);
    if (!actual.equals(expected)) {
      return sessions.discard(driver, session).transform(v -> Future.failedFuture(new RegistryException(
          ErrorCode.DIGEST_INVALID, "provided digest " + expected + " does not match uploaded content " + actual,
          expected.toString())));
    }
    return store.commit(session.repository, session.uuid, expected)
        .compose(info -> driver.delete(StorageLayout.upload(session.repository, session.uuid))
            .map(v -> {
              sessions.committed(session);
              committed.accept(info);
              return info.toJson();
            }));
  }

  /** The count and digest may include a chunk that never reached the disk, so the session is restored from storage. */
  @Override
  public void abort() {
    file.end().onComplete(closed -> {
      sessions.forget(session);
      session.endWrite();
    });
  }
}
