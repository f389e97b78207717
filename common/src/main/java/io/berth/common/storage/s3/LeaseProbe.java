package io.berth.common.storage.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Asks a client's connection pool how many connections it has leased: a HeadBucket carries a metric publisher of its
 * own, and the Netty client reports the pool's {@code LeasedConcurrency} as it was just before that request took a
 * connection, so the probe's own connection is not counted. The count is the pool's, not ours: a stream that holds a
 * connection anywhere in the process shows in it.
 */
final class LeaseProbe implements MetricPublisher {
  private final CompletableFuture<Long> leased = new CompletableFuture<>();

  private LeaseProbe() {
  }

  static CompletableFuture<Long> ask(S3AsyncClient client, String bucket) {
    LeaseProbe probe = new LeaseProbe();
    client.headBucket(b -> b.bucket(bucket).overrideConfiguration(o -> o.addMetricPublisher(probe)))
        .whenComplete((head, failure) -> {
          if (failure != null) {
            probe.leased.completeExceptionally(failure);
          }
        });
    return probe.leased;
  }

  /** A client that reported no count fails the probe rather than answer a number that would pass any check. */
  @Override
  public void publish(MetricCollection metrics) {
    long found = find(metrics);
    if (found < 0) {
      leased.completeExceptionally(new IllegalStateException("the S3 client reported no LeasedConcurrency"));
    } else {
      leased.complete(found);
    }
  }

  /** The value in the collection of the request's HTTP attempt, a child of the call's collection. */
  private static long find(MetricCollection metrics) {
    var values = metrics.metricValues(HttpMetric.LEASED_CONCURRENCY);
    if (!values.isEmpty()) {
      return values.get(0);
    }
    for (MetricCollection child : metrics.children()) {
      long found = find(child);
      if (found >= 0) {
        return found;
      }
    }
    return -1;
  }

  @Override
  public void close() {
  }
}
