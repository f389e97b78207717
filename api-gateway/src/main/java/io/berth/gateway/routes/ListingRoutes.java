package io.berth.gateway.routes;

import io.berth.common.bus.message.Page;
import io.berth.common.bus.message.PageRequest;
import io.berth.common.bus.message.ReferrersRequest;
import io.berth.common.oci.MediaTypes;
import io.berth.gateway.auth.AccessControl;
import io.berth.gateway.bus.ManifestServiceClient;
import io.berth.gateway.http.ClientRequests;
import io.berth.gateway.http.Params;
import io.berth.gateway.http.Urls;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** What a client lists: a repository's tags, the catalog of repositories, and the referrers of a manifest. */
public final class ListingRoutes {
  /** As distribution: a page holds at most 1000 entries, and the catalog pages by 100 unless asked otherwise. */
  static final int MAX_PAGE = 1000;
  static final int DEFAULT_CATALOG_PAGE = 100;

  private final String prefix;
  private final ManifestServiceClient manifests;
  private final Urls urls;
  private final AccessControl access;

  public ListingRoutes(String prefix, ManifestServiceClient manifests, Urls urls, AccessControl access) {
    this.prefix = prefix;
    this.manifests = manifests;
    this.urls = urls;
    this.access = access;
  }

  public void mount(Router router) {
    DeclaredRoutes.route(router, HttpMethod.GET, RoutePaths.v2(prefix, RoutePaths.NAME + "/tags/list"), Endpoint.TAGS)
        .handler(access.pull()).handler(this::tags);          // end-8a/8b GET /v2/<name>/tags/list?n=&last=
    DeclaredRoutes.route(router, HttpMethod.GET, RoutePaths.v2(prefix, "_catalog"), Endpoint.CATALOG)
        .handler(access.catalog()).handler(this::catalog);    // GET /v2/_catalog?n=&last=
    DeclaredRoutes.route(router, HttpMethod.GET,
            RoutePaths.v2(prefix, RoutePaths.NAME + "/referrers/(?<digest>[^/]+)"), Endpoint.REFERRERS)
        .handler(access.pull()).handler(this::referrers);     // end-12a/12b GET /v2/<name>/referrers/<digest>?artifactType=
  }

  private void tags(RoutingContext ctx) {
    String name = Params.name(ctx);
    int n = Params.tagPageSize(ctx);
    String last = ctx.request().getParam("last");
    manifests.tags(new PageRequest(name, n, last), ClientRequests.info(ctx))
        .compose(page -> page(ctx, name + "/tags/list", n, page,
            new JsonObject().put("name", name).put("tags", new JsonArray(page.items()))))
        .onFailure(ctx::fail);
  }

  private void catalog(RoutingContext ctx) {
    int requested = Params.pageSize(ctx, MAX_PAGE);
    int n = requested < 0 ? DEFAULT_CATALOG_PAGE : requested;
    manifests.catalog(new PageRequest(null, n, ctx.request().getParam("last")), ClientRequests.info(ctx))
        .compose(page -> page(ctx, "_catalog", n, page,
            new JsonObject().put("repositories", new JsonArray(page.items()))))
        .onFailure(ctx::fail);
  }

  private Future<Void> page(RoutingContext ctx, String path, int n, Page page, JsonObject body) {
    HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    if (page.more() && !page.items().isEmpty()) {
      response.putHeader("Link", urls.nextPage(path, n, page.items().get(page.items().size() - 1)));
    }
    return response.end(body.encode());
  }

  private void referrers(RoutingContext ctx) {
    String artifactType = ctx.request().getParam("artifactType");
    manifests.referrers(new ReferrersRequest(Params.name(ctx), Params.digest(ctx.pathParam("digest")), artifactType),
            ClientRequests.info(ctx))
        .compose(index -> {
          HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.OCI_INDEX);
          if (artifactType != null) {
            response.putHeader("OCI-Filters-Applied", "artifactType");
          }
          return response.end(index.toJson().encode());
        })
        .onFailure(ctx::fail);
  }
}
