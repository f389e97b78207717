package io.berth.gateway.http;

import io.berth.common.metrics.Metrics;
import io.berth.gateway.routes.RouteTemplates;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs first on every registry request and, when its response has ended, counts it by OCI endpoint template,
 * method and status: {@code berth_http_requests_total}, {@code berth_http_request_duration_seconds}, and the body
 * bytes in {@code berth_http_request_bytes_total} and out {@code berth_http_response_bytes_total}. A response cut
 * short (the client left, or a blob stream failed half-way) has status {@code aborted}.
 */
public final class RequestMetrics implements Handler<RoutingContext> {
  private final Metrics metrics;
  private final RouteTemplates routes;

  public RequestMetrics(Metrics metrics, RouteTemplates routes) {
    this.metrics = metrics;
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    HttpServerRequest request = ctx.request();
    ctx.addEndHandler(ended -> {
      String route = routes.of(request.path());
      String method = request.method().name();
      String status = ended.succeeded() ? Integer.toString(ctx.response().getStatusCode()) : "aborted";
      metrics.counter("berth.http.requests", "HTTP requests by endpoint, method and status",
          "route", route, "method", method, "status", status).increment();
      metrics.record(System.nanoTime() - start, "berth.http.request.duration",
          "HTTP request latency, from routing to the end of the response", "route", route, "method", method,
          "status", status);
      metrics.counter("berth.http.request.bytes", "HTTP request body bytes received",
          "route", route, "method", method).increment(request.bytesRead());
      metrics.counter("berth.http.response.bytes", "HTTP response body bytes sent",
          "route", route, "method", method).increment(ctx.response().bytesWritten());
    });
    ctx.next();
  }
}
