package io.berth.blob.upload;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.UploadIds;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.metrics.Metrics;
import io.berth.common.oci.Digest;
import io.berth.common.oci.Sha256;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The upload sessions of this blob-service process. A session lives on storage ({@code _uploads/<uuid>}), so one
 * unknown here (another instance opened it, or this process restarted) or changed there by another process is
 * restored from there and rehashed.
 */
public final class UploadSessions {
  private static final long STREAM_IDLE_MS = 120_000;

  private final String id = UploadIds.newProcessId();
  private final Map<UploadId, UploadSession> sessions = new ConcurrentHashMap<>();
  private final Counter started;
  private final Counter completed;

  public UploadSessions() {
    this(Metrics.disabled());
  }

  /**
   * Registers {@code berth_upload_sessions_active} (the sessions this process holds) and the started and completed
   * counters; one {@code UploadSessions} per process, so the gauge is registered once.
   */
  public UploadSessions(Metrics metrics) {
    metrics.gauge("berth.upload.sessions.active", "Upload sessions this process holds open", sessions, Map::size);
    started = metrics.counter("berth.upload.sessions.started", "Upload sessions opened");
    completed = metrics.counter("berth.upload.sessions.completed", "Upload sessions committed as a blob");
  }

  /**
   * This process's id: the sessions it opens end in it, and it takes their operations on
   * {@link io.berth.common.bus.Addresses#uploadOwner}.
   */
  public String id() {
    return id;
  }

  /** Opens a new, empty session, whose id names this process. */
  public Future<UploadState> start(StorageDriver driver, RepositoryName repository) {
    UploadId uuid = UploadIds.newUuid(id);
    return create(driver, StorageLayout.uploadStartedAt(repository, uuid), Buffer.buffer(Instant.now().toString()))
        .compose(v -> create(driver, StorageLayout.uploadData(repository, uuid), Buffer.buffer()))
        .map(v -> {
          sessions.put(uuid, new UploadSession(repository, uuid, 0, Sha256.create()));
          started.increment();
          return new UploadState(uuid, 0);
        });
  }

  /**
   * A session's files are written by a writer, not the durable {@code write}: a session a crash loses is started again
   * by its client, so syncing it would only slow every push down. Its bytes are synced when they are committed.
   */
  private static Future<Void> create(StorageDriver driver, String path, Buffer content) {
    return driver.writer(path, 0).compose(stream -> stream.end(content));
  }

  public Future<UploadState> status(StorageDriver driver, RepositoryName repository, UploadId uuid) {
    return find(driver, repository, uuid).map(session -> new UploadState(uuid, session.size));
  }

  public Future<Void> cancel(StorageDriver driver, RepositoryName repository, UploadId uuid) {
    return find(driver, repository, uuid).compose(session -> discard(driver, session));
  }

  /**
   * Opens a byte stream into the session and answers the address to send it to. When the request carries a digest,
   * the end of the stream completes the upload: the digest is checked and the blob committed, or nothing is kept;
   * {@code committed} hears of each blob committed.
   */
  public Future<String> openWrite(Vertx vertx, StorageDriver driver, BlobStore store, UploadRequest request,
      Consumer<BlobInfo> committed) {
    RepositoryName repository = RepositoryName.parse(request.repository());
    Digest expected = request.digest() == null ? null : Digest.parse(request.digest());
    return find(driver, repository, request.uuid()).compose(session -> {
      if (!session.tryBeginWrite()) {
        return Future.failedFuture(new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID,
            "another request is writing to upload " + session.uuid));
      }
      if (request.expectedOffset() >= 0 && request.expectedOffset() != session.size) {
        session.endWrite();
        return Future.failedFuture(new RegistryException(ErrorCode.RANGE_INVALID,
            "chunk starts at " + request.expectedOffset() + " but the upload holds " + session.size + " bytes"));
      }
      return runningDigest(driver, session)
          .compose(digest -> driver.writer(StorageLayout.uploadData(repository, session.uuid), session.size))
          .compose(stream -> ChunkReceiver.open(vertx,
              new UploadSink(session, stream, expected, this, driver, store, committed), STREAM_IDLE_MS))
          .map(ChunkReceiver::address)
          .onFailure(failure -> session.endWrite())
          .recover(failure -> {
            if (!(failure instanceof PathNotFoundException)) {
              return Future.failedFuture(failure);
            }
            forget(session);
            return Future.failedFuture(unknown(session.uuid));
          });
    });
  }

  Future<Void> discard(StorageDriver driver, UploadSession session) {
    sessions.remove(session.uuid);
    return driver.delete(StorageLayout.upload(session.repository, session.uuid));
  }

  /** The session became a blob: counted, and no longer held. */
  void committed(UploadSession session) {
    completed.increment();
    sessions.remove(session.uuid);
  }

  /**
   * Deletes a session from storage and from this process unless a request is writing to it (answers false then). The
   * session is claimed the way a writer claims it, so no request can begin writing while its files go away.
   */
  public Future<Boolean> purge(StorageDriver driver, RepositoryName repository, UploadId uuid) {
    UploadSession session = sessions.computeIfAbsent(uuid, key -> new UploadSession(repository, key, 0, null));
    if (!session.repository.equals(repository) || !session.tryBeginWrite()) {
      return Future.succeededFuture(false);
    }
    return driver.delete(StorageLayout.upload(repository, uuid))
        .onComplete(done -> sessions.remove(uuid, session))
        .map(true);
  }

  /**
   * Drops what this process holds of a session, not the session: the next request restores its size and digest from
   * the bytes on storage, the only account that is right after a write that may have failed half-way.
   */
  void forget(UploadSession session) {
    sessions.remove(session.uuid);
  }

  /**
   * The session as storage holds it. What this process holds is trusted only while a request of this process writes
   * it or its size is the size on storage: another process may have written or removed the session meanwhile, and
   * then it is restored from storage (and rehashed on the next write).
   */
  private Future<UploadSession> find(StorageDriver driver, RepositoryName repository, UploadId uuid) {
    UploadSession known = sessions.get(uuid);
    if (known != null && !known.repository.equals(repository)) {
      return Future.failedFuture(unknown(uuid));
    }
    if (known != null && known.isWriting()) {
      return Future.succeededFuture(known);
    }
    return driver.stat(StorageLayout.uploadData(repository, uuid))
        .map(stat -> sessions.compute(uuid, (key, held) ->
            held != null && (held.isWriting() || held.size == stat.size())
                ? held : new UploadSession(repository, key, stat.size(), null)))
        .recover(failure -> {
          if (!(failure instanceof PathNotFoundException)) {
            return Future.failedFuture(failure);
          }
          if (known != null) {
            sessions.remove(uuid, known);
          }
          return Future.failedFuture(unknown(uuid));
        });
  }

  private static RegistryException unknown(UploadId uuid) {
    return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown to registry: " + uuid);
  }

  /** The session's running digest, rebuilt by reading its bytes back when the session was restored from storage. */
  private static Future<MessageDigest> runningDigest(StorageDriver driver, UploadSession session) {
    if (session.digest != null) {
      return Future.succeededFuture(session.digest);
    }
    MessageDigest digest = Sha256.create();
    return driver.reader(StorageLayout.uploadData(session.repository, session.uuid), 0, session.size)
        .compose(stream -> consume(stream, digest))
        .map(v -> {
          session.digest = digest;
          return digest;
        });
  }

  private static Future<Void> consume(ReadStream<Buffer> stream, MessageDigest digest) {
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete())
        .handler(chunk -> Sha256.update(digest, chunk));
    return done.future();
  }
}
