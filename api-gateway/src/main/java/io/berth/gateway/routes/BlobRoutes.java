package io.berth.gateway.routes;

import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobReadRequest;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.MediaTypes;
import io.berth.gateway.auth.AccessControl;
import io.berth.gateway.bus.BlobServiceClient;
import io.berth.gateway.http.ByteRange;
import io.berth.gateway.http.ClientRequests;
import io.berth.gateway.http.Params;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Blob reads and deletes. A GET of a blob the storage serves itself (S3) is redirected there (307, distribution's
 * storage redirect); a blob whose file this process can see is sent zero-copy from the file; otherwise the blob
 * service streams it over the bus as acknowledged chunks. HEAD is answered from the blob's stat alone.
 */
public final class BlobRoutes {
  private static final long STREAM_IDLE_MS = 120_000;

  private final Vertx vertx;
  private final String prefix;
  private final BlobServiceClient blobs;
  private final BlobFiles blobFiles;
  private final AccessControl access;

  public BlobRoutes(Vertx vertx, String prefix, BlobServiceClient blobs, BlobFiles blobFiles, AccessControl access) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.blobs = blobs;
    this.blobFiles = blobFiles;
    this.access = access;
  }

  public void mount(Router router) {
    String blob = RoutePaths.v2(prefix, RoutePaths.NAME + "/blobs/(?<digest>[^/]+)");
    DeclaredRoutes.route(router, HttpMethod.GET, blob, Endpoint.BLOB)
        .handler(access.pull()).handler(this::get);       // end-2 GET /v2/<name>/blobs/<digest>
    DeclaredRoutes.route(router, HttpMethod.HEAD, blob, Endpoint.BLOB)
        .handler(access.pull()).handler(this::get);       // end-2 HEAD /v2/<name>/blobs/<digest>
    DeclaredRoutes.route(router, HttpMethod.DELETE, blob, Endpoint.BLOB)
        .handler(access.delete()).handler(this::delete);  // end-10 DELETE /v2/<name>/blobs/<digest>
  }

  private void get(RoutingContext ctx) {
    String name = Params.name(ctx);
    String digest = Params.digest(ctx.pathParam("digest"));
    RequestInfo client = ClientRequests.info(ctx);
    blobs.stat(name, digest, client).compose(info -> {
      HttpServerResponse response = ctx.response();
      if (info.redirectUrl() != null && ctx.request().method() == HttpMethod.GET) {
        return response.setStatusCode(307).putHeader(HttpHeaders.LOCATION, info.redirectUrl())
            .putHeader("Docker-Content-Digest", info.digest()).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
      }
      ByteRange range = ByteRange.parse(ctx.request().getHeader("Range"), info.size());
      response.putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.OCTET_STREAM)
          .putHeader("Docker-Content-Digest", info.digest())
          .putHeader(HttpHeaders.ETAG, "\"" + info.digest() + "\"")
          .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
      long offset = range == null ? 0 : range.offset();
      long length = range == null ? info.size() : range.length();
      if (range != null) {
        response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, range.contentRange(info.size()));
      }
      if (ctx.request().method() == HttpMethod.HEAD) {
        return response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
      }
      return send(ctx, client, name, info, offset, length);
    }).onFailure(ctx::fail);
  }

  private Future<Void> send(RoutingContext ctx, RequestInfo client, String name, BlobInfo info, long offset,
      long length) {
    HttpServerResponse response = ctx.response();
    return localFile(info).compose(path -> path == null ? streamOverBus(response, client, name, info, offset, length)
        : response.sendFile(path, offset, length).recover(failure -> response.headWritten() ? Future.failedFuture(failure)
            : streamOverBus(response, client, name, info, offset, length)));
  }

  /**
   * The blob's file when this process may send it zero-copy (see {@link BlobFiles}), else null. A file of the blob's
   * size at the path another process named is the blob itself: the path is named by the digest, and only verified
   * bytes are ever moved there. One that cannot be opened (set aside by garbage collection for a moment, say) is
   * streamed by the blob service instead, which waits such a moment out.
   */
  private Future<String> localFile(BlobInfo info) {
    if (info.localPath() == null || blobFiles == BlobFiles.NEVER) {
      return Future.succeededFuture();
    }
    if (blobFiles == BlobFiles.SAME_PROCESS) {
      return Future.succeededFuture(info.localPath());
    }
    return vertx.fileSystem().props(info.localPath())
        .map(props -> props.isRegularFile() && props.size() == info.size() ? info.localPath() : null)
        .otherwise((String) null);
  }

  private Future<Void> streamOverBus(HttpServerResponse response, RequestInfo client, String name, BlobInfo info,
      long offset, long length) {
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    return ChunkReceiver.open(vertx, new ResponseSink(response), STREAM_IDLE_MS)
        .compose(receiver -> blobs.read(new BlobReadRequest(name, info.digest(), offset, length, receiver.address()),
                client)
            .onFailure(receiver::cancel)
            .compose(started -> receiver.done()))
        .mapEmpty();
  }

  private void delete(RoutingContext ctx) {
    blobs.delete(Params.name(ctx), Params.digest(ctx.pathParam("digest")), ClientRequests.info(ctx))
        .compose(v -> ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end())
        .onFailure(ctx::fail);
  }
}
