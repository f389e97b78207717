package io.berth.gateway.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Optional;

/**
 * The named route that took a request: each {@code /v2/} route's name is the OCI endpoint it serves, the request
 * metrics' label. A named route records itself with its first handler, because the route a failure handler or an end
 * handler sees as current is the failure handler's own; a request that no named route took (a path that is no
 * endpoint, a method none allows, a request refused before routing) has none.
 */
public final class MatchedRoute {
  /** The metadata key of distribution's name for a route, the {@code handler} label of its series. */
  public static final String DISTRIBUTION_HANDLER = "berth.distribution.handler";
  private static final String ROUTE = "berth.matched.route";
  private static final String LISTENER = "berth.matched.listener";

  /**
   * The first handler of every named route. A platform handler to Vert.x Web, which runs those before a route's
   * security handlers (access control) and refuses them after: a request refused there is still the route's.
   */
  public static final PlatformHandler RECORD = MatchedRoute::record;

  private MatchedRoute() {
  }

  private static void record(RoutingContext ctx) {
    Route route = ctx.currentRoute();
    ctx.put(ROUTE, route);
    Handler<Route> listener = ctx.get(LISTENER);
    if (listener != null) {
      listener.handle(route);
    }
    ctx.next();
  }

  public static Optional<Route> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.<Route>get(ROUTE));
  }

  /** Tells {@code listener} of each named route the request is then taken by, as that route starts. */
  public static void onMatch(RoutingContext ctx, Handler<Route> listener) {
    ctx.put(LISTENER, listener);
  }

  /** Distribution's name for {@code route}; none for a route of Berth's own. */
  public static Optional<String> distributionHandler(Route route) {
    return Optional.ofNullable(route.<String>getMetadata(DISTRIBUTION_HANDLER));
  }
}
