package io.berth.gateway.http;

import io.berth.common.metrics.DistributionMetrics;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.routes.RouteTemplates;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs first on every registry request and, when its response has ended, counts it by OCI endpoint template,
 * method and status: {@code berth_http_requests_total}, {@code berth_http_request_duration_seconds}, and the body
 * bytes in {@code berth_http_request_bytes_total} and out {@code berth_http_response_bytes_total}. A response cut
 * short (the client left, or a blob stream failed half-way) has status {@code aborted}.
 *
 * <p>A request to one of distribution's endpoints is also counted in distribution's {@code registry_http_*} series
 * under distribution's route name ({@link DistributionMetrics#request}), in flight from here to the end of its
 * response. Their request size is promhttp's approximation (URL, method, protocol, headers, Host) plus the body bytes
 * read, where promhttp adds the {@code Content-Length}: a chunked upload counts here what it sent, there nothing.
 */
public final class RequestMetrics implements Handler<RoutingContext> {
  private final Metrics metrics;
  private final RouteTemplates routes;
  private final DistributionMetrics distribution;

  public RequestMetrics(Metrics metrics, RouteTemplates routes) {
    this.metrics = metrics;
    this.routes = routes;
    this.distribution = new DistributionMetrics(metrics);
    // distribution registers the in-flight gauge of every route at start; so do we, so each reads 0 before use.
    DistributionMetrics.HANDLERS.forEach(distribution::inFlight);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    RouteTemplates.Endpoint endpoint = routes.of(request.path());
    AtomicLong inFlight = endpoint.handler() == null ? null : distribution.inFlight(endpoint.handler());
    if (inFlight != null) {
      inFlight.incrementAndGet();
    }
    ctx.addEndHandler(ended -> {
      long nanos = System.nanoTime() - start;
      String route = endpoint.template();
      String method = request.method().name();
      String status = ended.succeeded() ? Integer.toString(ctx.response().getStatusCode()) : "aborted";
      metrics.counter("berth.http.requests", "HTTP requests by endpoint, method and status",
          "route", route, "method", method, "status", status).increment();
      metrics.record(nanos, "berth.http.request.duration",
          "HTTP request latency, from routing to the end of the response", "route", route, "method", method,
          "status", status);
      metrics.counter("berth.http.request.bytes", "HTTP request body bytes received",
          "route", route, "method", method).increment(request.bytesRead());
      metrics.counter("berth.http.response.bytes", "HTTP response body bytes sent",
          "route", route, "method", method).increment(ctx.response().bytesWritten());
      if (inFlight != null) {
        inFlight.decrementAndGet();
        distribution.request(endpoint.handler(), method, ctx.response().getStatusCode(), nanos,
            approximateSize(request), ctx.response().bytesWritten());
      }
    });
    ctx.next();
  }

  /** promhttp's {@code computeApproximateRequestSize}, with the body bytes read for its Content-Length. */
  static long approximateSize(HttpServerRequest request) {
    long size = request.uri().length() + request.method().name().length() + protocol(request.version()).length();
    for (Map.Entry<String, String> header : request.headers()) {
      if (!header.getKey().equalsIgnoreCase("Host")) {
        size += header.getKey().length() + header.getValue().length();
      }
    }
    String host = request.getHeader("Host");
    return size + (host == null ? 0 : host.length()) + request.bytesRead();
  }

  private static String protocol(HttpVersion version) {
    return switch (version) {
      case HTTP_1_0 -> "HTTP/1.0";
      case HTTP_2 -> "HTTP/2.0";
      default -> "HTTP/1.1";
    };
  }
}
