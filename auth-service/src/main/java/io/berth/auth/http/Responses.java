package io.berth.auth.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Token endpoint responses are JSON and never cached (RFC 6749 §5.1). */
final class Responses {
  private Responses() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    noStore(ctx.response()).setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }

  static void empty(RoutingContext ctx, int status) {
    noStore(ctx.response()).setStatusCode(status).end();
  }

  private static HttpServerResponse noStore(HttpServerResponse response) {
    return response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store").putHeader("Pragma", "no-cache");
  }
}
