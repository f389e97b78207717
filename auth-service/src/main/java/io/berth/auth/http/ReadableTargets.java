package io.berth.auth.http;

import io.berth.common.http.RequestTargets;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before every route: refuses a request whose path or query has a malformed percent-escape, which Vert.x would
 * otherwise throw on while matching a route or reading a parameter.
 */
final class ReadableTargets implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String problem = RequestTargets.problem(ctx.request());
    if (problem != null) {
      ctx.fail(TokenException.invalidRequest(problem));
      return;
    }
    ctx.next();
  }
}
