package io.berth.common.metrics;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * distribution's Prometheus series, namespace {@code registry}, recorded beside Berth's own so that dashboards and
 * alerts built for distribution work unchanged: the names, label names, label values and histogram buckets are those
 * distribution's code writes (docker/go-metrics' HTTP instrumentation over promhttp, {@code registry/storage/driver/
 * base}, {@code notifications/metrics.go}). Micrometer adds a {@code _max} gauge beside each histogram; nothing else
 * differs.
 */
public final class DistributionMetrics {
  /** distribution's route names as its {@code handler} label writes them (dashes become underscores). */
  public static final List<String> HANDLERS = List.of("base", "blob", "blob_upload", "blob_upload_chunk", "catalog",
      "manifest", "tags");

  /** go-metrics' {@code defaultDurationBuckets}. */
  private static final Duration[] HTTP_DURATION_BUCKETS = seconds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10,
      25, 60);
  /** go-metrics' size buckets: 1 KiB doubling to 2 GiB. */
  private static final double[] SIZE_BUCKETS = IntStream.range(0, 22).mapToDouble(i -> 1024.0 * (1L << i)).toArray();
  /** Prometheus' default buckets, which distribution's storage timer leaves in place. */
  private static final Duration[] STORAGE_BUCKETS = seconds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10);
  /** promhttp's known methods, written in lower case; any other is {@code unknown}. */
  private static final Set<String> METHODS = Set.of("GET", "PUT", "HEAD", "POST", "DELETE", "CONNECT", "OPTIONS",
      "NOTIFY", "TRACE", "PATCH");

  private final Metrics metrics;

  public DistributionMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  private static Duration[] seconds(double... bounds) {
    return Arrays.stream(bounds).mapToObj(bound -> Duration.ofNanos(Math.round(bound * 1e9)))
        .toArray(Duration[]::new);
  }

  /** {@code registry_http_in_flight_requests{handler}}: the process's one counter for {@code handler}. */
  public AtomicLong inFlight(String handler) {
    return metrics.level("registry.http.in_flight_requests", "The in-flight HTTP requests", "handler", handler);
  }

  /**
   * One request answered by {@code handler}: {@code registry_http_requests_total{code, handler, method}},
   * {@code registry_http_request_duration_seconds{handler, method}}, {@code registry_http_request_size_bytes{handler}}
   * and {@code registry_http_response_size_bytes{handler}}.
   */
  public void request(String handler, String method, int status, long nanos, long requestSize, long responseSize) {
    String promMethod = method(method);
    metrics.counter("registry.http.requests", "Total number of HTTP requests made.",
        "code", Integer.toString(status), "handler", handler, "method", promMethod).increment();
    metrics.timer("registry.http.request.duration", "The HTTP request latencies in seconds.", HTTP_DURATION_BUCKETS,
        "handler", handler, "method", promMethod).record(nanos, TimeUnit.NANOSECONDS);
    metrics.summary("registry.http.request.size", "The HTTP request sizes in bytes.", "bytes", SIZE_BUCKETS,
        "handler", handler).record(requestSize);
    metrics.summary("registry.http.response.size", "The HTTP response sizes in bytes.", "bytes", SIZE_BUCKETS,
        "handler", handler).record(responseSize);
  }

  static String method(String method) {
    return METHODS.contains(method) ? method.toLowerCase(Locale.ROOT) : "unknown";
  }

  /** {@code registry_storage_action_seconds{driver, action}}, action named as distribution names it (GetContent…). */
  public void storageAction(String driver, String action, long nanos) {
    metrics.timer("registry.storage.action", "The number of seconds that the storage action takes", STORAGE_BUCKETS,
        "driver", driver, "action", action).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** {@code registry_notifications_events_total{type, endpoint}}: type Events, Successes, Failures or Errors. */
  public void notificationEvent(String type, String endpoint) {
    metrics.counter("registry.notifications.events", "The number of total events", "type", type,
        "endpoint", endpoint).increment();
  }

  /** {@code registry_notifications_status_total{code, endpoint}}, code as Go writes it: {@code 200 OK}. */
  public void notificationStatus(int status, String endpoint) {
    metrics.counter("registry.notifications.status", "The number of status code",
        "code", status + " " + HttpResponseStatus.valueOf(status).reasonPhrase(), "endpoint", endpoint).increment();
  }
}
