package io.berth.auth.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every refusal as an OAuth2 error body. {@code details} repeats the description because Docker's client
 * shows that field to the user ({@code registry/client/errors.go}). A 401 names the Basic realm to log in to; a 429
 * says when to retry.
 */
final class TokenFailureHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(TokenFailureHandler.class);

  private final String realm;

  TokenFailureHandler(String realm) {
    this.realm = realm.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    TokenException failure = failure(ctx);
    LOG.debug("token endpoint refused a request [path: {}, status: {}, error: {}, reason: {}]",
        ctx.request().path(), failure.status(), failure.error(), failure.getMessage());
    if (failure.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
    }
    if (failure.retryAfterSeconds() > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(failure.retryAfterSeconds()));
    }
    Responses.json(ctx, failure.status(), new JsonObject().put("error", failure.error())
        .put("error_description", failure.getMessage()).put("details", failure.getMessage()));
  }

  private static TokenException failure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    if (cause instanceof TokenException refusal) {
      return refusal;
    }
    if (cause != null) {
      LOG.error("token endpoint failed [path: {}]", ctx.request().path(), cause);
      return new TokenException(500, "server_error", "the token service failed; see its log");
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    return switch (status) {
      case 404 -> new TokenException(404, "not_found", "no such endpoint; tokens are issued at /token");
      case 405 -> new TokenException(405, "invalid_request", "method not allowed here");
      case 413 -> new TokenException(413, "invalid_request", "request body too large");
      default -> new TokenException(status, status < 500 ? "invalid_request" : "server_error",
          "request refused");
    };
  }
}
