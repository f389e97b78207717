package io.berth.gateway.auth;

import io.berth.common.auth.LoginThrottled;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before a route's own handler: authenticates the request for the access the route needs, then lets it through
 * with the caller's name on the context, or answers 401 with the challenge (429 with {@code Retry-After} while logins
 * are throttled). The request is paused while credentials are checked, so a body that arrives meanwhile waits for the
 * route's handler instead of being lost. It is a
 * {@link SecurityPolicyHandler} so that Vert.x Web lets it run before a route's BodyHandler: nobody gets a manifest
 * body buffered before they are known.
 */
final class AccessHandler implements SecurityPolicyHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AccessHandler.class);

  private final Authenticator authenticator;
  private final Function<RoutingContext, RequiredAccess> required;
  private final Handler<RoutingContext> granted;

  AccessHandler(Authenticator authenticator, Function<RoutingContext, RequiredAccess> required) {
    this(authenticator, required, RoutingContext::next);
  }

  /** {@code granted} runs once access is granted: the route's next handler, or a refusal that follows the checks. */
  AccessHandler(Authenticator authenticator, Function<RoutingContext, RequiredAccess> required,
      Handler<RoutingContext> granted) {
    this.authenticator = authenticator;
    this.required = required;
    this.granted = granted;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequiredAccess access = required.apply(ctx);
    HttpServerRequest request = ctx.request();
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    authenticator.authenticate(request, access).onComplete(result -> {
      if (result.succeeded()) {
        if (result.result() != null) {
          ctx.put(AccessControl.USER, result.result());
        }
        if (paused) {
          request.resume();
        }
        granted.handle(ctx);
      } else if (result.cause() instanceof Challenge challenge) {
        LOG.debug("access refused [method: {}, path: {}, reason: {}]", request.method(), request.path(),
            challenge.getMessage());
        ctx.response().putHeader("WWW-Authenticate", challenge.header());
        ctx.fail(new RegistryException(ErrorCode.UNAUTHORIZED, ErrorCode.UNAUTHORIZED.message(), access.detail()));
      } else if (result.cause() instanceof LoginThrottled throttled) {
        LOG.debug("login throttled [method: {}, path: {}, scope: {}]", request.method(), request.path(),
            throttled.scope().label());
        ctx.response().putHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
        ctx.fail(new RegistryException(ErrorCode.TOO_MANY_REQUESTS, throttled.getMessage()));
      } else {
        ctx.fail(result.cause());
      }
    });
  }
}
