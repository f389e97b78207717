package io.berth.blob.bus;

import io.berth.blob.store.BlobStore;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.ChunkSender;
import io.berth.common.bus.message.BlobReadRequest;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.bus.message.MountRequest;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The blob service's side of the bus contract: one method per address. */
public final class BlobBusHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(BlobBusHandlers.class);

  private final Vertx vertx;
  private final StorageDriver driver;
  private final BlobStore store;
  private final UploadSessions uploads;
  private final boolean deleteEnabled;

  /** {@code refreshAfter}: see {@link BlobStore#BlobStore(StorageDriver, Duration)}; null without online GC. */
  public BlobBusHandlers(Vertx vertx, StorageDriver driver, UploadSessions uploads, boolean deleteEnabled,
      Duration refreshAfter) {
    this.vertx = vertx;
    this.driver = driver;
    this.store = new BlobStore(driver, refreshAfter);
    this.uploads = uploads;
    this.deleteEnabled = deleteEnabled;
  }

  public Future<JsonObject> stat(JsonObject body) {
    BlobRequest request = BlobRequest.fromJson(body);
    return store.stat(RepositoryName.parse(request.repository()), Digest.parse(request.digest()))
        .map(info -> info.toJson());
  }

  public Future<JsonObject> delete(JsonObject body) {
    if (!deleteEnabled) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "deletion is disabled (storage.delete.enabled)");
    }
    BlobRequest request = BlobRequest.fromJson(body);
    return store.unlink(RepositoryName.parse(request.repository()), Digest.parse(request.digest()))
        .map(v -> new JsonObject());
  }

  public Future<JsonObject> mount(JsonObject body) {
    MountRequest request = MountRequest.fromJson(body);
    RepositoryName target = RepositoryName.parse(request.repository());
    Digest digest = Digest.parse(request.digest());
    return store.stat(RepositoryName.parse(request.from()), digest)
        .compose(info -> store.link(target, digest).map(v -> info.toJson()))
        .onSuccess(v -> LOG.debug("blob mounted [repo: {}, from: {}, digest: {}]", target, request.from(), digest));
  }

  public Future<JsonObject> startUpload(JsonObject body) {
    return uploads.start(driver, RepositoryName.parse(body.getString("repository"))).map(UploadState::toJson);
  }

  public Future<JsonObject> uploadStatus(JsonObject body) {
    UploadRequest request = UploadRequest.fromJson(body);
    return uploads.status(driver, RepositoryName.parse(request.repository()), request.uuid()).map(UploadState::toJson);
  }

  public Future<JsonObject> cancelUpload(JsonObject body) {
    UploadRequest request = UploadRequest.fromJson(body);
    return uploads.cancel(driver, RepositoryName.parse(request.repository()), request.uuid())
        .map(v -> new JsonObject());
  }

  public Future<JsonObject> writeUpload(JsonObject body) {
    return uploads.openWrite(vertx, driver, store, UploadRequest.fromJson(body))
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
              ChunkSender sender = new ChunkSender(vertx.eventBus(), request.address());
              stream.pipe().endOnFailure(false).to(sender).onFailure(failure -> {
                LOG.warn("blob read aborted [digest: {}]: {}", digest, failure.getMessage());
                sender.abort(failure);
              });
              return info.toJson();
            }));
  }
}
