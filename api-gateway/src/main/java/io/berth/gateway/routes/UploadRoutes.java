package io.berth.gateway.routes;

import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.UploadId;
import io.berth.gateway.auth.AccessControl;
import io.berth.gateway.bus.BlobServiceClient;
import io.berth.gateway.http.ClientRequests;
import io.berth.gateway.http.Params;
import io.berth.gateway.http.Urls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Blob uploads: sessions, monolithic and chunked bodies, completion, status, cancellation and mounts. */
public final class UploadRoutes {
  private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes[ =])?(\\d+)-(\\d+)(?:/\\d+|/\\*)?");

  private final String prefix;
  private final BlobServiceClient blobs;
  private final UploadBody body;
  private final Urls urls;
  private final AccessControl access;

  public UploadRoutes(String prefix, Vertx vertx, BlobServiceClient blobs, Urls urls, AccessControl access) {
    this.prefix = prefix;
    this.blobs = blobs;
    this.body = new UploadBody(vertx, blobs);
    this.urls = urls;
    this.access = access;
  }

  public void mount(Router router) {
    String uploads = RoutePaths.v2(prefix, RoutePaths.NAME + "/blobs/uploads/?");
    String session = RoutePaths.v2(prefix, RoutePaths.NAME + "/blobs/uploads/(?<uuid>[^/]+)");
    DeclaredRoutes.route(router, HttpMethod.POST, uploads, Endpoint.UPLOADS)
        .handler(access.pushOrMount()).handler(this::start);  // end-4a/4b/11 POST /v2/<name>/blobs/uploads/
    DeclaredRoutes.route(router, HttpMethod.GET, session, Endpoint.UPLOAD)
        .handler(access.pull()).handler(this::status);        // end-13 GET <location>
    DeclaredRoutes.route(router, HttpMethod.PATCH, session, Endpoint.UPLOAD)
        .handler(access.push()).handler(this::patch);         // end-5 PATCH <location>
    DeclaredRoutes.route(router, HttpMethod.PUT, session, Endpoint.UPLOAD)
        .handler(access.push()).handler(this::complete);      // end-6 PUT <location>?digest=
    DeclaredRoutes.route(router, HttpMethod.DELETE, session, Endpoint.UPLOAD)
        .handler(access.delete()).handler(this::cancel);      // end-14 DELETE <location>
  }

  private void start(RoutingContext ctx) {
    ctx.request().pause();
    String name = Params.name(ctx);
    String mount = ctx.request().getParam("mount");
    String from = ctx.request().getParam("from");
    String digest = ctx.request().getParam("digest");
    RequestInfo client = ClientRequests.info(ctx);
    Future<Void> answered;
    if (mount != null && from != null) {
      answered = mount(ctx, client, name, Params.repository(from), Params.digest(mount));
    } else if (digest != null) {
      String expected = Params.digest(digest);
      answered = blobs.start(name, client).compose(state -> body.stream(ctx.request(),
              new UploadRequest(name, state.uuid(), 0, expected), client))
          .compose(result -> created(ctx, name, BlobInfo.fromJson(result)));
    } else {
      answered = newSession(ctx, client, name);
    }
    answered.onFailure(ctx::fail);
  }

  /** A mount of a blob the source repository lacks falls back to a new session (202), as the spec allows. */
  private Future<Void> mount(RoutingContext ctx, RequestInfo client, String name, String from, String digest) {
    return blobs.mount(name, from, digest, client)
        .compose(info -> created(ctx, name, info))
        .recover(failure -> failure instanceof RegistryException error && error.errorCode() == ErrorCode.BLOB_UNKNOWN
            ? newSession(ctx, client, name) : Future.failedFuture(failure));
  }

  private Future<Void> newSession(RoutingContext ctx, RequestInfo client, String name) {
    ctx.request().resume();
    return blobs.start(name, client).compose(state -> accepted(ctx, name, state, 202));
  }

  private void status(RoutingContext ctx) {
    String name = Params.name(ctx);
    blobs.status(name, Params.uploadId(ctx), ClientRequests.info(ctx))
        .compose(state -> accepted(ctx, name, state, 204))
        .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    String name = Params.name(ctx);
    UploadId uuid = Params.uploadId(ctx);
    long expectedOffset = expectedOffset(request);
    body.stream(request, new UploadRequest(name, uuid, expectedOffset, null), ClientRequests.info(ctx))
        .compose(result -> accepted(ctx, name, UploadState.fromJson(result), 202))
        .onFailure(ctx::fail);
  }

  private void complete(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause();
    String name = Params.name(ctx);
    UploadId uuid = Params.uploadId(ctx);
    String digest = request.getParam("digest");
    if (digest == null) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID, "the digest query parameter is required to complete an upload");
    }
    UploadRequest upload = new UploadRequest(name, uuid, expectedOffset(request), Params.digest(digest));
    body.stream(request, upload, ClientRequests.info(ctx))
        .compose(result -> created(ctx, name, BlobInfo.fromJson(result)))
        .onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    blobs.cancel(Params.name(ctx), Params.uploadId(ctx), ClientRequests.info(ctx))
        .compose(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail);
  }

  /**
   * Where the client says its chunk starts, from {@code Content-Range}; -1 when it did not say. A range that
   * disagrees with the body's length is refused before any byte is written.
   */
  private static long expectedOffset(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_RANGE);
    if (header == null) {
      return -1;
    }
    Matcher matcher = CONTENT_RANGE.matcher(header.trim());
    if (!matcher.matches()) {
      throw new RegistryException(ErrorCode.RANGE_INVALID, "malformed Content-Range: " + header);
    }
    long first = offset(matcher.group(1), header);
    long last = offset(matcher.group(2), header);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (last < first || (length != null && Long.parseLong(length) != last - first + 1)) {
      throw new RegistryException(ErrorCode.RANGE_INVALID, "Content-Range " + header + " does not match the body");
    }
    return first;
  }

  private static long offset(String digits, String header) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new RegistryException(ErrorCode.RANGE_INVALID, "Content-Range beyond any blob's size: " + header);
    }
  }

  private Future<Void> accepted(RoutingContext ctx, String name, UploadState state, int status) {
    return ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.LOCATION, urls.upload(ctx.request(), name, state.uuid()))
        .putHeader("Range", "0-" + Math.max(0, state.offset() - 1))
        .putHeader("Docker-Upload-UUID", state.uuid().value())
        .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
        .end();
  }

  private Future<Void> created(RoutingContext ctx, String name, BlobInfo info) {
    return ctx.response().setStatusCode(201)
        .putHeader(HttpHeaders.LOCATION, urls.blob(ctx.request(), name, info.digest()))
        .putHeader("Docker-Content-Digest", info.digest())
        .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
        .end();
  }
}
