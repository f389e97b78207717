package io.berth.auth.http;

import io.berth.common.http.RequestTargets;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
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
    if (ctx.failure() instanceof HttpClosedException || ctx.response().closed()) {
      // The client hung up, or was cut off as too slow: nobody to answer, and not a fault of the issuer.
      LOG.debug("connection closed before the answer [path: {}]", ctx.request().path());
      return;
    }
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

  /**
   * A failure with a 4xx status is a request that could not be read: Vert.x Web's for a missing or invalid Host,
   * {@link Forms}' for a body whose stream broke. That is the client's doing whatever the exception, whose message is
   * not passed on; a failure without a status is the issuer's.
   */
  private static TokenException failure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    if (cause instanceof TokenException refusal) {
      return refusal;
    }
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    boolean clientError = status >= 400 && status < 500;
    if (cause != null && !clientError) {
      LOG.error("token endpoint failed [path: {}]", ctx.request().path(), cause);
      return new TokenException(500, "server_error", "the token service failed; see its log");
    }
    return switch (status) {
      case 404 -> new TokenException(404, "not_found", "no such endpoint; tokens are issued at /token");
      case 405 -> new TokenException(405, "invalid_request", "method not allowed here");
      case 413 -> new TokenException(413, "invalid_request", "request body too large");
      default -> clientError ? new TokenException(status, "invalid_request",
          cause == null ? "request refused" : RequestTargets.unreadable(ctx.request()))
          : new TokenException(status, "server_error", "request refused");
    };
  }
}
