package io.berth.gateway.http;

import io.berth.common.logging.GoDuration;
import io.berth.gateway.auth.AccessControl;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One line per request once its response is sent, distribution's "response completed" with its field names (which
 * the formatters write as top-level keys): {@code http.request.id}, {@code .method}, {@code .uri}, {@code .host},
 * {@code .remoteaddr}, {@code .useragent}, {@code .contenttype}, {@code http.response.status}, {@code .written},
 * {@code .contenttype}, {@code .duration} (as Go writes a duration) and {@code auth.user.name}; and Berth's
 * {@code bytes_in} and {@code duration_ms}.
 *
 * <p>Where Berth differs, on purpose: {@code http.request.uri} is the path only, never the query, and no header but
 * those named is logged, so no credential can reach the log; {@code http.request.remoteaddr} is the connection's peer
 * (distribution takes {@code X-Forwarded-For} when present, which any client can forge), and a client's
 * {@code X-Forwarded-For} is logged beside it as {@code http.request.forwardedfor}.
 */
public final class AccessLog implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("io.berth.access");
  /** A header value is the client's to choose: long enough for a chain of proxies, bounded for the log. */
  private static final int MAX_HEADER_LOGGED = 256;

  @Override
  public void handle(RoutingContext ctx) {
    if (LOG.isInfoEnabled()) {
      long started = System.nanoTime();
      ctx.addEndHandler(done -> log(ctx, started));
    }
    ctx.next();
  }

  private static void log(RoutingContext ctx, long started) {
    long nanos = System.nanoTime() - started;
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    LoggingEventBuilder line = LOG.atInfo()
        .addKeyValue("http.request.id", ClientRequests.id(ctx))
        .addKeyValue("http.request.method", request.method().name())
        .addKeyValue("http.request.uri", request.path())
        .addKeyValue("http.request.remoteaddr", ClientRequests.addr(request.remoteAddress()))
        .addKeyValue("http.response.status", response.getStatusCode())
        .addKeyValue("http.response.written", response.bytesWritten())
        .addKeyValue("http.response.duration", GoDuration.format(nanos))
        .addKeyValue("bytes_in", request.bytesRead())
        .addKeyValue("duration_ms", nanos / 1_000_000);
    present(line, "http.request.host", request.getHeader(HttpHeaders.HOST));
    present(line, "http.request.useragent", request.getHeader(HttpHeaders.USER_AGENT));
    present(line, "http.request.contenttype", request.getHeader(HttpHeaders.CONTENT_TYPE));
    present(line, "http.request.forwardedfor", request.getHeader("X-Forwarded-For"));
    present(line, "http.response.contenttype", response.headers().get(HttpHeaders.CONTENT_TYPE));
    present(line, "auth.user.name", ctx.get(AccessControl.USER));
    line.log("response completed");
  }

  /** Present values only, as distribution leaves out what a request did not have. */
  private static void present(LoggingEventBuilder line, String key, String value) {
    if (value != null && !value.isEmpty()) {
      line.addKeyValue(key, value.length() > MAX_HEADER_LOGGED ? value.substring(0, MAX_HEADER_LOGGED) : value);
    }
  }
}
