package io.berth.gateway.routes;

import io.berth.gateway.auth.AccessControl;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The API version check clients make first. */
public final class BaseRoutes {
  private final String prefix;
  private final AccessControl access;

  public BaseRoutes(String prefix, AccessControl access) {
    this.prefix = prefix;
    this.access = access;
  }

  public void mount(Router router) {
    String base = RoutePaths.v2(prefix, "?");
    DeclaredRoutes.route(router, HttpMethod.GET, base, Endpoint.BASE)
        .handler(access.authenticated()).handler(this::base);  // end-1 GET /v2/
    DeclaredRoutes.route(router, HttpMethod.HEAD, base, Endpoint.BASE)
        .handler(access.authenticated()).handler(this::base);
  }

  private void base(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{}");
  }
}
