package io.berth.gateway.health;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.gateway.http.OciFailureHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * distribution's {@code health.Handler}: while any health check fails, every request is answered 503 with
 * distribution's body, {@code UNAVAILABLE} and the detail "health check failed: please see /debug/health", before
 * authentication and routing. The check's failure was logged once when it began, so a refused request is not.
 */
public final class HealthGate implements Handler<RoutingContext> {
  static final String DETAIL = "health check failed: please see /debug/health";
  private static final RegistryException REFUSAL = new RegistryException(ErrorCode.UNAVAILABLE,
      ErrorCode.UNAVAILABLE.message(), DETAIL);

  private final HealthState health;

  public HealthGate(HealthState health) {
    this.health = health;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (health.current().healthy()) {
      ctx.next();
    } else {
      OciFailureHandler.answer(ctx, REFUSAL);
    }
  }
}
