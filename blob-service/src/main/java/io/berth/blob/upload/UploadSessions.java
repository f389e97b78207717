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
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.FileWriter;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.EOFException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload sessions of this blob-service process. A session lives on storage ({@code _uploads/<uuid>}: its data,
 * written through the driver's {@link FileWriter}, and its start time), so one unknown here (another instance opened
 * it, or this process restarted) or changed there by another process is restored from there: its size from the
 * writer, its digest from the hash state saved at that size or else by reading its bytes back.
 */
public final class UploadSessions {
  private static final Logger LOG = LoggerFactory.getLogger(UploadSessions.class);
  private static final long STREAM_IDLE_MS = 120_000;
  private static final String CLAIM_PREFIX = "berth.upload.writer.";
  private static final int CLAIM_ATTEMPTS = 10;
  private static final long CLAIM_PAUSE_MS = 50;

  private final String id;
  private final Map<UploadId, UploadSession> sessions = new ConcurrentHashMap<>();
  private final boolean saveHashStates;
  private final Counter started;
  private final Counter completed;

  public UploadSessions() {
    this(Metrics.disabled(), false);
  }

  /**
   * Registers {@code berth_upload_sessions_active} (the sessions this process holds) and the started and completed
   * counters; one {@code UploadSessions} per process, so the gauge is registered once. {@code saveHashStates}: hash
   * with the savable digest and save its state after each request, for storage whose unfinished uploads cannot be read
   * back (S3); otherwise the JDK's faster digest is used and a session that changes process is rehashed.
   */
  public UploadSessions(Metrics metrics, boolean saveHashStates) {
    this(metrics, saveHashStates, UploadIds.newProcessId());
  }

  /** {@code processId}: the id its session ids end in ({@link UploadIds#processId}). */
  public UploadSessions(Metrics metrics, boolean saveHashStates, String processId) {
    this.id = processId;
    this.saveHashStates = saveHashStates;
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

  private RunningDigest newDigest() {
    return saveHashStates ? new SavableDigest() : new JdkDigest();
  }

  /** Opens a new, empty session, whose id names this process. */
  public Future<UploadState> start(StorageDriver driver, RepositoryName repository) {
    UploadId uuid = UploadIds.newUuid(id);
    // Written with writers, not write: a session a crash loses is started again by its client, so neither file is
    // worth a sync; its bytes are synced by the move that commits them.
    return driver.writer(StorageLayout.uploadStartedAt(repository, uuid), false)
        .compose(startedAt -> startedAt.write(Buffer.buffer(Instant.now().toString())).compose(v -> startedAt.commit()))
        .compose(v -> driver.writer(StorageLayout.uploadData(repository, uuid), false))
        .compose(FileWriter::close)
        .map(v -> {
          sessions.put(uuid, new UploadSession(repository, uuid, 0, newDigest()));
          started.increment();
          return new UploadState(uuid, 0);
        });
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
    UploadSession session = sessions.computeIfAbsent(request.uuid(),
        key -> new UploadSession(repository, key, -1, null));
    if (!session.repository.equals(repository)) {
      return Future.failedFuture(unknown(request.uuid()));
    }
    if (!session.tryBeginWrite()) {
      return Future.failedFuture(writing(session));
    }
    return claim(vertx, session, CLAIM_ATTEMPTS)
        .compose(claimed -> driver.writer(StorageLayout.uploadData(repository, session.uuid), true))
        .compose(writer -> {
          if (writer.size() != session.size) {
            session.size = writer.size();
            session.digest = null;
          }
          if (request.expectedOffset() >= 0 && request.expectedOffset() != session.size) {
            return writer.close().transform(closed -> Future.failedFuture(new RegistryException(
                ErrorCode.RANGE_INVALID, "chunk starts at " + request.expectedOffset() + " but the upload holds "
                + session.size + " bytes")));
          }
          return runningDigest(driver, session)
              .compose(digest -> ChunkReceiver.open(vertx,
                  new UploadSink(session, writer, expected, this, driver, store, committed), STREAM_IDLE_MS))
              .map(ChunkReceiver::address)
              .recover(failure -> writer.close().transform(closed -> Future.failedFuture(failure)));
        })
        .onFailure(failure -> {
          session.endWrite();
          if (session.size < 0 || failure instanceof PathNotFoundException) {
            sessions.remove(session.uuid, session);
          }
        })
        .recover(failure -> Future.failedFuture(failure instanceof PathNotFoundException ? unknown(session.uuid)
            : failure));
  }

  private static RegistryException writing(UploadSession session) {
    return new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "another request is writing to upload " + session.uuid);
  }

  /**
   * Claims the session's writer cluster-wide, beside this process's own claim ({@link UploadSession#tryBeginWrite}):
   * once its creator is gone, a session's requests go to whichever instance takes them, and two instances writing one
   * session at once each saved a digest of their own bytes while storage kept a mix, so a client could commit a blob
   * whose bytes are not those of its digest. A lock held by a process that dies is released by the cluster. Asked a
   * few times, briefly each, rather than waited on: a clustered lock is waited on by a blocked worker, and its release
   * is sent after the answer of the write that held it, so a client's next request may come before it.
   */
  private static Future<Void> claim(Vertx vertx, UploadSession session, int attempts) {
    return vertx.sharedData().getLockWithTimeout(claimName(session.repository, session.uuid), 1)
        .transform(locked -> {
          if (locked.succeeded()) {
            session.claimed(locked.result());
            return Future.<Void>succeededFuture();
          }
          if (attempts <= 1) {
            return Future.<Void>failedFuture(writing(session));
          }
          Promise<Void> retried = Promise.promise();
          vertx.setTimer(CLAIM_PAUSE_MS, id -> claim(vertx, session, attempts - 1).onComplete(retried));
          return retried.future();
        });
  }

  private static String claimName(RepositoryName repository, UploadId uuid) {
    return CLAIM_PREFIX + repository + "/" + uuid;
  }

  Future<Void> discard(StorageDriver driver, UploadSession session) {
    sessions.remove(session.uuid);
    return driver.delete(StorageLayout.upload(session.repository, session.uuid));
  }

  /** Whether the session is still this process's: not cancelled, purged or committed meanwhile. */
  boolean holds(UploadSession session) {
    return sessions.get(session.uuid) == session;
  }

  /** The session became a blob: counted, and no longer held. */
  void committed(UploadSession session) {
    completed.increment();
    sessions.remove(session.uuid);
  }

  /**
   * Saves the session's hash state at its size, when its digest can be saved. A failure is only logged: the bytes are
   * stored, and the state lives on in this process; only another process would then fail to resume the upload.
   */
  Future<Void> saveHashState(StorageDriver driver, UploadSession session) {
    byte[] state = session.digest.state();
    if (state == null) {
      return Future.succeededFuture();
    }
    return driver.write(StorageLayout.uploadHashState(session.repository, session.uuid, session.size),
            Buffer.buffer(state))
        .recover(failure -> {
          LOG.warn("upload hash state not saved [repo: {}, uuid: {}, offset: {}]: {}", session.repository,
              session.uuid, session.size, failure.toString());
          return Future.succeededFuture();
        });
  }

  /**
   * Deletes a session from storage and from this process unless a request is writing to it, in this process or in
   * another of the cluster (answers false then). The session is claimed the way a writer claims it, here and
   * cluster-wide, so no request can begin writing while its files go away; the cluster lock is tried once, never waited
   * on. The session stays claimed here: a request that found it before it went must not write to it.
   */
  public Future<Boolean> purge(Vertx vertx, StorageDriver driver, RepositoryName repository, UploadId uuid) {
    UploadSession session = sessions.computeIfAbsent(uuid, key -> new UploadSession(repository, key, -1, null));
    if (!session.repository.equals(repository) || !session.tryBeginWrite()) {
      return Future.succeededFuture(false);
    }
    return vertx.sharedData().getLockWithTimeout(claimName(repository, uuid), 1).transform(locked -> {
      if (locked.failed()) {
        session.endWrite();
        if (session.size < 0) {
          sessions.remove(uuid, session);
        }
        return Future.succeededFuture(false);
      }
      return driver.delete(StorageLayout.upload(repository, uuid))
          .onComplete(done -> {
            sessions.remove(uuid, session);
            locked.result().release();
          })
          .map(true);
    });
  }

  /**
   * Drops what this process holds of a session, not the session: the next request restores its size and digest from
   * storage, the only account that is right after a write that may have failed half-way.
   */
  void forget(UploadSession session) {
    sessions.remove(session.uuid);
  }

  /**
   * The session as storage holds it. What this process holds is trusted only while a request of this process writes
   * it or its size is the size on storage: another process may have written or removed the session meanwhile, and
   * then it is restored from storage (and its digest on the next write).
   */
  private Future<UploadSession> find(StorageDriver driver, RepositoryName repository, UploadId uuid) {
    UploadSession known = sessions.get(uuid);
    if (known != null && !known.repository.equals(repository)) {
      return Future.failedFuture(unknown(uuid));
    }
    if (known != null && known.isWriting()) {
      return Future.succeededFuture(known);
    }
    return driver.writer(StorageLayout.uploadData(repository, uuid), true)
        .compose(writer -> writer.close().map(v -> writer.size()))
        .map(size -> sessions.compute(uuid, (key, held) ->
            held != null && (held.isWriting() || held.size == size)
                ? held : new UploadSession(repository, key, size, null)))
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

  /**
   * The session's running digest: the one held, or the state saved at the session's size (by Berth on S3, or by
   * distribution; a state that is damaged or describes another size counts as none), or else rebuilt by reading the
   * bytes back, which storage without readable unfinished uploads
   * cannot do: such a session must be started again.
   */
  private Future<RunningDigest> runningDigest(StorageDriver driver, UploadSession session) {
    if (session.digest != null) {
      return Future.succeededFuture(session.digest);
    }
    if (session.size == 0) {
      session.digest = newDigest();
      return Future.succeededFuture(session.digest);
    }
    return driver.read(StorageLayout.uploadHashState(session.repository, session.uuid, session.size))
        .<RunningDigest>map(state -> SavableDigest.restore(state.getBytes(), session.size))
        .recover(failure -> failure instanceof PathNotFoundException || failure instanceof IllegalArgumentException
            ? rehash(driver, session) : Future.failedFuture(failure))
        .onSuccess(digest -> session.digest = digest);
  }

  /**
   * On S3 the bytes of an unfinished upload are no object; an object at its key is only the part a writer made whole
   * before it went on (see S3FileWriter), shorter than the session: both mean the bytes cannot be read back.
   */
  private Future<RunningDigest> rehash(StorageDriver driver, UploadSession session) {
    RunningDigest digest = newDigest();
    return driver.reader(StorageLayout.uploadData(session.repository, session.uuid), 0, session.size)
        .compose(stream -> consume(stream, digest))
        .map(digest)
        .recover(failure -> Future.failedFuture(failure instanceof PathNotFoundException
                || failure instanceof EOFException
            ? new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "upload " + session.uuid + " cannot be resumed: "
                + "no hash state was saved at offset " + session.size + " and its bytes cannot be read back; start "
                + "the upload again")
            : failure));
  }

  private static Future<Void> consume(ReadStream<Buffer> stream, RunningDigest digest) {
    Promise<Void> done = Promise.promise();
    stream.exceptionHandler(done::tryFail).endHandler(v -> done.tryComplete()).handler(digest::update);
    return done.future();
  }
}
