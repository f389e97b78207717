package io.berth.gateway.http;

import io.berth.common.metrics.DistributionMetrics;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Optional;

/**
 * Runs first on every registry request and, when its response has ended, counts it by the name of the route that
 * took it (the OCI endpoint template, see {@link MatchedRoute}), method and status: {@code berth_http_requests_total},
 * {@code berth_http_request_duration_seconds}, and the body bytes in {@code berth_http_request_bytes_total} and out
 * {@code berth_http_response_bytes_total}. A request no named route took counts under {@value #UNMATCHED}: probes of
 * random URLs must not grow the label set. A response cut short (the client left, or a blob stream failed half-way)
 * has status {@code aborted}.
 *
 * <p>A request taken by one of distribution's endpoints is also counted in distribution's {@code registry_http_*}
 * series under distribution's route name ({@link DistributionMetrics#request}), in flight from the moment its route
 * takes it, as distribution's handlers count it, to the end of its response. Their request size is promhttp's
 * approximation (URL, method, protocol, headers, Host) plus the body bytes read, where promhttp adds the
 * {@code Content-Length}: a chunked upload counts here what it sent, there nothing.
 */
public final class RequestMetrics implements Handler<RoutingContext> {
  /** The label of every request that no named route took. */
  public static final String UNMATCHED = "other";

  private final Metrics metrics;
  private final DistributionMetrics distribution;

  public RequestMetrics(Metrics metrics) {
    this.metrics = metrics;
    this.distribution = new DistributionMetrics(metrics);
    // distribution registers the in-flight gauge of every route at start; so do we, so each reads 0 before use.
    DistributionMetrics.HANDLERS.forEach(distribution::inFlight);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    InFlight inFlight = new InFlight();
    MatchedRoute.onMatch(ctx, inFlight::taken);
    ctx.addEndHandler(ended -> {
      // Counted before it leaves: a request no longer in flight is in the totals.
      record(ctx, System.nanoTime() - start, ended.succeeded());
      inFlight.leave();
    });
    ctx.next();
  }

  private void record(RoutingContext ctx, long nanos, boolean succeeded) {
    HttpServerRequest request = ctx.request();
    Optional<Route> taken = MatchedRoute.of(ctx);
    String route = taken.map(Route::getName).orElse(UNMATCHED);
    String method = request.method().name();
    String status = succeeded ? Integer.toString(ctx.response().getStatusCode()) : "aborted";
    metrics.counter("berth.http.requests", "HTTP requests by endpoint, method and status",
        "route", route, "method", method, "status", status).increment();
    metrics.record(nanos, "berth.http.request.duration",
        "HTTP request latency, from routing to the end of the response", "route", route, "method", method,
        "status", status);
    metrics.counter("berth.http.request.bytes", "HTTP request body bytes received",
        "route", route, "method", method).increment(request.bytesRead());
    metrics.counter("berth.http.response.bytes", "HTTP response body bytes sent",
        "route", route, "method", method).increment(ctx.response().bytesWritten());
    taken.flatMap(MatchedRoute::distributionHandler).ifPresent(handler -> distribution.request(handler, method,
        ctx.response().getStatusCode(), nanos, approximateSize(request), ctx.response().bytesWritten()));
  }

  /** The distribution route a request is in flight on: the last that took it, until its response ends. */
  private final class InFlight {
    private String handler;

    void taken(Route route) {
      leave();
      handler = MatchedRoute.distributionHandler(route).orElse(null);
      if (handler != null) {
        distribution.inFlight(handler).incrementAndGet();
      }
    }

    void leave() {
      if (handler != null) {
        distribution.inFlight(handler).decrementAndGet();
        handler = null;
      }
    }
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
