package io.berth.gateway.http;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.http.RequestTargets;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before any route that has a path: refuses a request whose path or query has a malformed percent-escape
 * (400), which Vert.x would otherwise throw on while matching routes or reading a parameter.
 */
public final class ReadableTargets implements Handler<RoutingContext> {
  @Override
  public void handle(RoutingContext ctx) {
    String problem = RequestTargets.problem(ctx.request());
    if (problem != null) {
      ctx.fail(new RegistryException(ErrorCode.BAD_REQUEST, problem));
      return;
    }
    ctx.next();
  }
}
