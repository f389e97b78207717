package io.berth.auth.http;

import io.berth.auth.keys.SigningKey;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /keys}: the public signing key as a JWK set, for verifiers configured with a JWKS ({@code auth.token.jwks}). */
final class JwksHandler implements Handler<RoutingContext> {
  private final String body;

  JwksHandler(SigningKey key) {
    this.body = new JsonObject().put("keys", new JsonArray().add(key.jwk())).encode();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }
}
