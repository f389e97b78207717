package io.berth.gateway.routes;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.PATCH;
import static io.vertx.core.http.HttpMethod.POST;
import static io.vertx.core.http.HttpMethod.PUT;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code OPTIONS} on a {@code /v2/} endpoint: 200 with the endpoint's methods in {@code Allow}, as distribution's
 * method handlers answer it, and the operator's {@code http.headers} that every response carries, which is where a
 * browser UI's {@code Access-Control-*} headers are configured. It runs before access control: a CORS preflight never
 * carries credentials, and a 401 to it makes the browser drop the request it precedes (distribution answers 401 there
 * when authentication is on, distribution/distribution#4458). A path that is no endpoint goes on to the routes' 404.
 * The table follows the route classes in their order of precedence; a test holds the two equal.
 */
public final class CorsPreflight implements Handler<RoutingContext> {
  private final String prefix;
  private final Map<Pattern, String> allow = new LinkedHashMap<>();

  public CorsPreflight(String prefix) {
    this.prefix = prefix;
    add("?", GET, HEAD);
    add("_catalog", GET);
    add(RoutePaths.NAME + "/blobs/uploads/?", POST);
    add(RoutePaths.NAME + "/blobs/uploads/[^/]+", GET, PATCH, PUT, DELETE);
    add(RoutePaths.NAME + "/blobs/[^/]+", GET, HEAD, DELETE);
    add(RoutePaths.NAME + "/manifests/[^/]+", GET, HEAD, PUT, DELETE);
    add(RoutePaths.NAME + "/tags/list", GET);
    add(RoutePaths.NAME + "/referrers/[^/]+", GET);
    add(RoutePaths.NAME + "(?<!/blobs/uploads)/", DELETE);
  }

  private void add(String tail, HttpMethod... methods) {
    allow.put(Pattern.compile(RoutePaths.v2(prefix, tail)),
        Arrays.stream(methods).map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
  }

  /**
   * Mounted for every method, not for OPTIONS alone: a route that matched a path but not its method would turn the 404
   * of every path that is no endpoint into a 405.
   */
  public void mount(Router router) {
    router.routeWithRegex(RoutePaths.v2(prefix, ".*")).handler(this);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    String path = ctx.request().path();
    for (Map.Entry<Pattern, String> endpoint : allow.entrySet()) {
      if (endpoint.getKey().matcher(path).matches()) {
        ctx.response().putHeader("Allow", endpoint.getValue()).end();
        return;
      }
    }
    ctx.next();
  }
}
