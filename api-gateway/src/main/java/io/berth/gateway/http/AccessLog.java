package io.berth.gateway.http;

import io.berth.gateway.auth.AccessControl;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request once its response is sent: request id, method, path, status, bytes in and out, duration and
 * user, as key-value pairs (fields in the JSON formatter). The path only, never the query or any header, so no
 * credential can reach the log.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("io.berth.access");

  @Override
  public void handle(RoutingContext ctx) {
    if (LOG.isInfoEnabled()) {
      long started = System.nanoTime();
      ctx.addEndHandler(done -> log(ctx, started));
    }
    ctx.next();
  }

  private static void log(RoutingContext ctx, long started) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    String user = ctx.get(AccessControl.USER);
    LOG.atInfo()
        .addKeyValue("id", ClientRequests.id(ctx))
        .addKeyValue("method", request.method().name())
        .addKeyValue("path", request.path())
        .addKeyValue("status", response.getStatusCode())
        .addKeyValue("bytes_in", request.bytesRead())
        .addKeyValue("bytes_out", response.bytesWritten())
        .addKeyValue("duration_ms", (System.nanoTime() - started) / 1_000_000)
        .addKeyValue("user", user == null ? "" : user)
        .log("request");
  }
}
