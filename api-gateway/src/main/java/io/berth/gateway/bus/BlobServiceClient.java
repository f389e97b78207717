package io.berth.gateway.bus;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.UploadIds;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobReadRequest;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.bus.message.MountRequest;
import io.berth.common.bus.message.RepositoryRequest;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The gateway's typed calls to the blob service, each made for a client's request. Stat and an upload's status are
 * asked again on another instance when the one asked is gone ({@link io.berth.common.bus.BusRetry}); the others are
 * not: a write may have happened, and a read streams into this gateway's response, which a second sender would
 * corrupt.
 */
public final class BlobServiceClient {
  private final BusClient bus;

  public BlobServiceClient(BusClient bus) {
    this.bus = bus;
  }

  /** Asked for HEAD as for GET; the client's method tells the blob service whether the blob is being pulled. */
  public Future<BlobInfo> stat(String repository, String digest, RequestInfo client) {
    return bus.requestIdempotent(Addresses.BLOB_STAT, new BlobRequest(repository, digest).toJson(), client)
        .map(BlobInfo::fromJson);
  }

  public Future<Void> delete(String repository, String digest, RequestInfo client) {
    return bus.request(Addresses.BLOB_DELETE, new BlobRequest(repository, digest).toJson(), client).mapEmpty();
  }

  public Future<BlobInfo> mount(String repository, String from, String digest, RequestInfo client) {
    return bus.request(Addresses.BLOB_MOUNT, new MountRequest(repository, from, digest).toJson(), client)
        .map(BlobInfo::fromJson);
  }

  /**
   * Repeatable: asked again on another instance when the one asked dies. A start that did happen there leaves at most
   * an empty session nobody knows, which upload purging removes; the client gets the one that answered.
   */
  public Future<UploadState> start(String repository, RequestInfo client) {
    return bus.requestIdempotent(Addresses.UPLOAD_START,
        new RepositoryRequest(RepositoryName.parse(repository)).toJson(), client).map(UploadState::fromJson);
  }

  public Future<UploadState> status(String repository, UploadId uuid, RequestInfo client) {
    JsonObject body = UploadRequest.of(repository, uuid).toJson();
    return UploadIds.owner(uuid)
        .map(owner -> bus.requestIdempotent(Addresses.uploadOwner(owner), Addresses.UPLOAD_STATUS, body, client))
        .orElseGet(() -> bus.requestIdempotent(Addresses.UPLOAD_STATUS, body, client))
        .map(UploadState::fromJson);
  }

  public Future<Void> cancel(String repository, UploadId uuid, RequestInfo client) {
    return session(Addresses.UPLOAD_CANCEL, uuid, UploadRequest.of(repository, uuid).toJson(), client).mapEmpty();
  }

  /** Opens a byte stream into an upload session; the answer is the address to send the chunks to. */
  public Future<String> openWrite(UploadRequest request, RequestInfo client) {
    return session(Addresses.UPLOAD_WRITE, request.uuid(), request.toJson(), client)
        .map(json -> StreamOpened.fromJson(json).address());
  }

  /**
   * An operation on an existing session goes to the process that opened it, which holds its running digest; when
   * that process is gone, or the session id names none, to the shared address, where any instance resumes the
   * session from storage.
   */
  private Future<JsonObject> session(String operation, UploadId uuid, JsonObject body, RequestInfo client) {
    return UploadIds.owner(uuid)
        .map(owner -> bus.request(Addresses.uploadOwner(owner), operation, body, client))
        .orElseGet(() -> bus.request(operation, body, client));
  }

  public Future<BlobInfo> read(BlobReadRequest request, RequestInfo client) {
    return bus.request(Addresses.BLOB_READ, request.toJson(), client).map(BlobInfo::fromJson);
  }
}
