package io.berth.blob.bus;

import io.berth.blob.store.BlobStore;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.ChunkSender;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobReadRequest;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.bus.message.Empty;
import io.berth.common.bus.message.MountRequest;
import io.berth.common.bus.message.RepositoryRequest;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The blob service's side of the bus contract: one method per address, and the events of what succeeded. */
public final class BlobBusHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(BlobBusHandlers.class);

  private final Vertx vertx;
  private final StorageDriver driver;
  private final BlobStore store;
  private final UploadSessions uploads;
  private final boolean deleteEnabled;
  private final BlobEvents events;
  private final boolean redirect;

  public BlobBusHandlers(Vertx vertx, StorageDriver driver, UploadSessions uploads, boolean deleteEnabled,
      Duration refreshAfter, BlobEvents events) {
    this(vertx, driver, uploads, deleteEnabled, refreshAfter, events, false);
  }

  /**
   * {@code refreshAfter}: see {@link BlobStore#BlobStore(StorageDriver, Duration)}; null without online GC.
   * {@code redirect}: a blob looked up for a client's GET is answered with the storage's URL of it, when the storage
   * has one (distribution's storage redirect, off with {@code storage.redirect.disable}).
   */
  public BlobBusHandlers(Vertx vertx, StorageDriver driver, UploadSessions uploads, boolean deleteEnabled,
      Duration refreshAfter, BlobEvents events, boolean redirect) {
    this.vertx = vertx;
    this.driver = driver;
    this.store = new BlobStore(driver, refreshAfter);
    this.uploads = uploads;
    this.deleteEnabled = deleteEnabled;
    this.events = events;
    this.redirect = redirect;
  }

  public Future<JsonObject> stat(JsonObject body, RequestInfo client) {
    BlobRequest request = BlobRequest.fromJson(body);
    RepositoryName repository = RepositoryName.parse(request.repository());
    Digest digest = Digest.parse(request.digest());
    return store.stat(repository, digest)
        .onSuccess(info -> events.looked(client, repository.value(), info))
        .map(info -> redirect && "GET".equals(client.method())
            ? driver.redirectUrl(StorageLayout.blobData(digest)).map(info::withRedirectUrl).orElse(info) : info)
        .map(BlobInfo::toJson);
  }

  public Future<JsonObject> delete(JsonObject body, RequestInfo client) {
    if (!deleteEnabled) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "deletion is disabled (storage.delete.enabled)");
    }
    BlobRequest request = BlobRequest.fromJson(body);
    RepositoryName repository = RepositoryName.parse(request.repository());
    Digest digest = Digest.parse(request.digest());
    return store.unlink(repository, digest)
        .onSuccess(v -> events.deleted(client, repository.value(), digest.toString()))
        .map(v -> new Empty().toJson());
  }

  public Future<JsonObject> mount(JsonObject body, RequestInfo client) {
    MountRequest request = MountRequest.fromJson(body);
    RepositoryName target = RepositoryName.parse(request.repository());
    RepositoryName from = RepositoryName.parse(request.from());
    Digest digest = Digest.parse(request.digest());
    return store.stat(from, digest)
        .compose(info -> store.link(target, digest).map(info))
        .onSuccess(info -> {
          LOG.debug("blob mounted [repo: {}, from: {}, digest: {}]", target, from, digest);
          events.mounted(client, target.value(), from.value(), info);
        })
        .map(BlobInfo::toJson);
  }

  public Future<JsonObject> startUpload(JsonObject body) {
    return uploads.start(driver, RepositoryRequest.fromJson(body).repository()).map(UploadState::toJson);
  }

  public Future<JsonObject> uploadStatus(JsonObject body) {
    UploadRequest request = UploadRequest.fromJson(body);
    return uploads.status(driver, RepositoryName.parse(request.repository()), request.uuid()).map(UploadState::toJson);
  }

  public Future<JsonObject> cancelUpload(JsonObject body) {
    UploadRequest request = UploadRequest.fromJson(body);
    return uploads.cancel(driver, RepositoryName.parse(request.repository()), request.uuid())
        .map(v -> new Empty().toJson());
  }

  /** The stream may complete the upload long after this answers, so the push event waits for the commit. */
  public Future<JsonObject> writeUpload(JsonObject body, RequestInfo client) {
    UploadRequest request = UploadRequest.fromJson(body);
    String repository = RepositoryName.parse(request.repository()).value();
    return uploads.openWrite(vertx, driver, store, request, blob -> events.pushed(client, repository, blob))
        .map(address -> new StreamOpened(address).toJson());
  }

  /**
   * Answers as soon as the blob is open, then streams it to the requester's receiver; a failure mid-stream aborts
   * the stream so the requester can cut its response short rather than send a truncated blob as whole.
   */
  public Future<JsonObject> read(JsonObject body) {
    BlobReadRequest request = BlobReadRequest.fromJson(body);
    Digest digest = Digest.parse(request.digest());
    return store.stat(RepositoryName.parse(request.repository()), digest)
        .compose(info -> driver.reader(StorageLayout.blobData(digest), request.offset(), request.length())
            .map(stream -> {
              ChunkSender sender = new ChunkSender(vertx, request.address());
              stream.pipe().endOnFailure(false).to(sender).onFailure(failure -> {
                if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                  LOG.debug("blob read ended by the reader [digest: {}]: {}", digest, failure.getMessage());
                } else {
                  LOG.warn("blob read aborted [digest: {}]: {}", digest, failure.getMessage());
                }
                sender.abort(failure);
              });
              return info.toJson();
            }));
  }
}
