package io.berth.gateway.routes;

import io.berth.common.bus.ChunkSender;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.event.RequestInfo;
import io.berth.gateway.bus.BlobServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * Streams a request body into an upload session: the request stays paused until the blob service has opened the
 * session's stream, then is piped into it with back-pressure. A body cut short aborts the stream, so a broken
 * request never completes an upload.
 */
final class UploadBody {
  private final Vertx vertx;
  private final BlobServiceClient blobs;

  UploadBody(Vertx vertx, BlobServiceClient blobs) {
    this.vertx = vertx;
    this.blobs = blobs;
  }

  /** The blob service's answer to the end of the stream: the upload's new state, or the committed blob. */
  Future<JsonObject> stream(HttpServerRequest request, UploadRequest upload, RequestInfo client) {
    request.pause();
    // A client that hangs up while the session's stream is being opened is told to no handler yet; a pipe made after
    // that would wait forever for an end or an error that already happened.
    Promise<Void> cut = Promise.promise();
    request.exceptionHandler(cut::tryFail);
    return blobs.openWrite(upload, client).compose(address -> {
      ChunkSender sender = new ChunkSender(vertx, address);
      if (cut.future().failed()) {
        sender.abort(cut.future().cause());
        return Future.failedFuture(cut.future().cause());
      }
      return request.pipe().endOnFailure(false).to(sender)
          .transform(piped -> {
            if (piped.succeeded() || sender.result().failed()) {
              return sender.result();
            }
            sender.abort(piped.cause());
            return Future.failedFuture(piped.cause());
          });
    });
  }
}
