package io.berth.gateway.routes;

import io.berth.common.bus.message.ManifestPut;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.MediaTypes;
import io.berth.gateway.auth.AccessControl;
import io.berth.gateway.bus.ManifestServiceClient;
import io.berth.gateway.http.ClientRequests;
import io.berth.gateway.http.Params;
import io.berth.gateway.http.Urls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Set;

/** Manifests by tag or digest: reads with content negotiation, pushes, deletes; and deleting a whole repository. */
public final class ManifestRoutes {
  /** Types distribution refuses to serve to a client that does not list them in Accept. */
  private static final Set<String> NEGOTIATED = Set.of(MediaTypes.OCI_MANIFEST, MediaTypes.OCI_INDEX,
      MediaTypes.DOCKER_MANIFEST_LIST);

  private final String prefix;
  private final ManifestServiceClient manifests;
  private final Urls urls;
  private final AccessControl access;

  public ManifestRoutes(String prefix, ManifestServiceClient manifests, Urls urls, AccessControl access) {
    this.prefix = prefix;
    this.manifests = manifests;
    this.urls = urls;
    this.access = access;
  }

  public void mount(Router router) {
    String manifest = RoutePaths.v2(prefix, RoutePaths.NAME + "/manifests/(?<reference>[^/]+)");
    // A body past the limit is refused with 413 before it is buffered.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(ManifestPut.MAX_CONTENT_BYTES);
    DeclaredRoutes.route(router, HttpMethod.GET, manifest, Endpoint.MANIFEST)
        .handler(access.pull()).handler(this::get);                // end-3 GET /v2/<name>/manifests/<reference>
    DeclaredRoutes.route(router, HttpMethod.HEAD, manifest, Endpoint.MANIFEST)
        .handler(access.pull()).handler(this::get);                // end-3 HEAD /v2/<name>/manifests/<reference>
    DeclaredRoutes.route(router, HttpMethod.PUT, manifest, Endpoint.MANIFEST)
        .handler(access.push()).handler(body).handler(this::put);  // end-7 PUT /v2/<name>/manifests/<reference>
    DeclaredRoutes.route(router, HttpMethod.DELETE, manifest, Endpoint.MANIFEST)
        .handler(access.delete()).handler(this::delete);           // end-9 DELETE /v2/<name>/manifests/<reference>
    // A repository's own path; /v2/<name>/blobs/uploads/ stays the upload endpoint's, and other methods find none.
    // Unnamed: no OCI endpoint, so its requests count under the metrics' "other", as they always have. The catch-all
    // after it is no declared route (any method, no endpoint's): a preflight lists DELETE alone.
    String repository = RoutePaths.v2(prefix, RoutePaths.NAME + "(?<!/blobs/uploads)/");
    DeclaredRoutes.route(router, HttpMethod.DELETE, repository)
        .handler(access.delete()).handler(this::deleteRepository); // Berth DELETE /v2/<name>/ (distribution has none)
    router.routeWithRegex(repository).handler(ctx -> ctx.fail(new RegistryException(ErrorCode.NOT_FOUND)));
  }

  private void get(RoutingContext ctx) {
    manifests.get(Params.name(ctx), Params.existingReference(ctx), ClientRequests.info(ctx)).compose(manifest -> {
      requireAcceptable(ctx.request().headers().getAll(HttpHeaders.ACCEPT), manifest.mediaType());
      HttpServerResponse response = ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, manifest.mediaType())
          .putHeader("Docker-Content-Digest", manifest.digest())
          .putHeader(HttpHeaders.ETAG, "\"" + manifest.digest() + "\"")
          .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(manifest.content().length()));
      return ctx.request().method() == HttpMethod.HEAD ? response.end() : response.end(manifest.content());
    }).onFailure(ctx::fail);
  }

  private static void requireAcceptable(List<String> accept, String mediaType) {
    if (accept.isEmpty() || !NEGOTIATED.contains(mediaType)) {
      return;
    }
    for (String header : accept) {
      for (String range : header.split(",")) {
        String type = range.split(";", 2)[0].trim();
        if (type.equals(mediaType) || type.equals("*/*") || type.equals("application/*")) {
          return;
        }
      }
    }
    throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN,
        "manifest of type " + mediaType + " found, but the Accept header does not allow it");
  }

  private void put(RoutingContext ctx) {
    String name = Params.name(ctx);
    Buffer content = ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer();
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    manifests.put(new ManifestPut(name, Params.reference(ctx), contentType, content), ClientRequests.info(ctx))
        .compose(stored -> {
          HttpServerResponse response = ctx.response().setStatusCode(201)
              .putHeader(HttpHeaders.LOCATION, urls.v2(ctx.request(), name + "/manifests/" + stored.digest()))
              .putHeader("Docker-Content-Digest", stored.digest())
              .putHeader(HttpHeaders.CONTENT_LENGTH, "0");
          if (stored.subject() != null) {
            response.putHeader("OCI-Subject", stored.subject());
          }
          return response.end();
        })
        .onFailure(ctx::fail);
  }

  private void deleteRepository(RoutingContext ctx) {
    manifests.deleteRepository(Params.name(ctx))
        .compose(v -> ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end())
        .onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    manifests.delete(Params.name(ctx), Params.existingReference(ctx), ClientRequests.info(ctx))
        .compose(v -> ctx.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end())
        .onFailure(ctx::fail);
  }

}
