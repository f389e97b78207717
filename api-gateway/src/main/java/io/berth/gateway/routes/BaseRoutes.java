package io.berth.gateway.routes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** The API version check clients make first. */
public final class BaseRoutes {
  private final String prefix;

  public BaseRoutes(String prefix) {
    this.prefix = prefix;
  }

  public void mount(Router router) {
    router.routeWithRegex(HttpMethod.GET, RoutePaths.v2(prefix, "?")).handler(this::base);  // end-1 GET /v2/
    router.routeWithRegex(HttpMethod.HEAD, RoutePaths.v2(prefix, "?")).handler(this::base);
  }

  private void base(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end("{}");
  }
}
