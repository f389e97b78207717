package io.berth.gateway.http;

import io.berth.common.bus.BusErrors;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.http.RequestTargets;
import io.berth.common.http.ServerChannels;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that writes the OCI error body {@code {"errors":[…]}}, for every failure of every route. */
public final class OciFailureHandler implements Handler<RoutingContext> {
  private static final String RETRY_AFTER = "Retry-After";
  private static final String RETRY_AFTER_SECONDS = "1";
  private static final Logger LOG = LoggerFactory.getLogger(OciFailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (ctx.failure() instanceof HttpClosedException || response.closed()
        || !ServerChannels.open(request.connection())) {
      // The client hung up (or shutdown's drain ran out, or the idle timeout cut a client that stopped reading a
      // download): nobody to answer, and not a fault of the registry.
      LOG.debug("connection closed before the answer [method: {}, path: {}]", request.method(), request.path());
      return;
    }
    RegistryException error = toRegistryException(ctx);
    if (error.errorCode() == ErrorCode.UNAVAILABLE) {
      // Storage or a service down for a while: one line per request, the stack says nothing the message does not.
      LOG.warn("request failed [method: {}, path: {}]: {}", request.method(), request.path(), error.getMessage());
    } else if (error.errorCode().httpStatus() >= 500) {
      LOG.error("request failed [method: {}, path: {}]", request.method(), request.path(), error);
    } else {
      LOG.debug("request refused [method: {}, path: {}, code: {}]: {}", request.method(), request.path(),
          error.errorCode().code(), error.getMessage());
    }
    answer(ctx, error);
  }

  /**
   * Answers {@code error} as the OCI error body; for a refusal decided before routing (the health gate), which has
   * nothing to log per request.
   */
  public static void answer(RoutingContext ctx, RegistryException error) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Part of a body was sent: cut the connection so the client cannot take a truncated body for a whole one.
      response.reset();
      return;
    }
    if (!request.isEnded()) {
      // Drain the unread body so the connection stays usable for the client's next request.
      request.resume();
    }
    response.setStatusCode(error.errorCode().httpStatus());
    if (error.errorCode().httpStatus() == 503) {
      // A passing state (an instance dying and routed around, storage down or shedding load): nothing was done, ask
      // again soon. One second: a dead member is routed around within that, and a client backing off on a storage
      // outage asks again each second at worst, which one cheap refusal answers.
      response.putHeader(RETRY_AFTER, RETRY_AFTER_SECONDS);
    }
    if (error.errorCode() == ErrorCode.REQUESTED_RANGE_NOT_SATISFIABLE) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + error.detail()).end();
      return;
    }
    if (request.method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
        .end(new JsonObject().put("errors", new JsonArray().add(error.toErrorJson())).encode());
  }

  /**
   * Vert.x Web gives a status below 500 to the failure of a request it could not read: 400 for a missing Host or a form
   * it cannot decode, and BodyHandler 200 for a request stream that broke (chunk framing, a client gone). That is the
   * client's doing, whatever the exception; a failure without a status is a handler's, and a 500.
   */
  private static RegistryException toRegistryException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    boolean unreadable = status > 0 && status < 500;
    if (failure instanceof RegistryException || failure instanceof ReplyException || (failure != null && !unreadable)) {
      return BusErrors.asRegistryException(failure);
    }
    return switch (status) {
      case 413 -> new RegistryException(ErrorCode.MANIFEST_TOO_LARGE);
      case 404 -> new RegistryException(ErrorCode.NOT_FOUND);
      case 405 -> new RegistryException(ErrorCode.UNSUPPORTED, "method not allowed on this endpoint");
      default -> unreadable
          ? new RegistryException(ErrorCode.BAD_REQUEST, failure == null ? "bad request"
              : RequestTargets.unreadable(ctx.request()))
          : new RegistryException(ErrorCode.UNKNOWN);
    };
  }
}
