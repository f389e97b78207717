package io.berth.common.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import org.slf4j.Marker;

/**
 * Drops the ERROR line Vert.x writes for every file download whose client went away (a reset, a broken pipe, a
 * connection the idle timeout closed): {@code VertxConnection} logs a failed zero-copy write itself, before the
 * response's future fails, and offers no way to turn that off. The request's own failure still reaches the gateway's
 * failure handler, which logs a client that hung up at debug and anything else at ERROR, so nothing is lost but the
 * duplicate that anyone allowed to pull could otherwise repeat at will.
 */
public final class ClientGoneFilter extends TurboFilter {
  private static final String VERTX_CONNECTION = "io.vertx.core.net.impl.VertxConnection";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    return level == Level.ERROR && t instanceof IOException && VERTX_CONNECTION.equals(logger.getName())
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
