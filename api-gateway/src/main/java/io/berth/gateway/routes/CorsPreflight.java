package io.berth.gateway.routes;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code OPTIONS} on a {@code /v2/} endpoint: 200 with the endpoint's methods in {@code Allow}, as distribution's
 * method handlers answer it, and the operator's {@code http.headers} that every response carries, which is where a
 * browser UI's {@code Access-Control-*} headers are configured. It runs before access control: a CORS preflight never
 * carries credentials, and a 401 to it makes the browser drop the request it precedes (distribution answers 401 there
 * when authentication is on, distribution/distribution#4458). A path that is no endpoint goes on to the routes' 404.
 * The methods are those of the routes the route classes declared on this router ({@link DeclaredRoutes}), read when
 * a preflight comes, so no table here repeats them.
 */
public final class CorsPreflight implements Handler<RoutingContext> {
  private final String prefix;
  private Router router;

  public CorsPreflight(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Mounted for every method, not for OPTIONS alone: a route that matched a path but not its method would turn the 404
   * of every path that is no endpoint into a 405.
   */
  public void mount(Router router) {
    this.router = router;
    router.routeWithRegex(RoutePaths.v2(prefix, ".*")).handler(this);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.OPTIONS) {
      ctx.next();
      return;
    }
    DeclaredRoutes.methods(router, ctx.request().path()).ifPresentOrElse(
        methods -> ctx.response().putHeader("Allow", allow(methods)).end(),
        ctx::next);
  }

  private static String allow(Set<HttpMethod> methods) {
    return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
  }
}
