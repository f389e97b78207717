package io.berth.gateway.auth;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

/**
 * The answer to a write while {@code maintenance.readonly} is on. distribution leaves the write methods out of its
 * handlers then, so a write gets 405 with {@code Allow: GET, HEAD}; Berth answers the same status and header, with
 * the spec's error body (UNSUPPORTED) instead of distribution's plain-text "Method not allowed".
 */
final class ReadOnlyRefusal implements SecurityPolicyHandler {
  static final String MESSAGE = "the registry is in read-only mode: pushes and deletes are refused";

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
    ctx.fail(new RegistryException(ErrorCode.UNSUPPORTED, MESSAGE));
  }
}
