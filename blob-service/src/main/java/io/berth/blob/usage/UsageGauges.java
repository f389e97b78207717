package io.berth.blob.usage;

import io.berth.common.metrics.Metrics;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The last walk's findings as gauges: {@code berth_storage_bytes}, {@code berth_storage_blobs},
 * {@code berth_storage_repositories}, when the walk ended ({@code berth_storage_usage_updated_seconds}, Unix time) and
 * how long it took ({@code berth_storage_usage_walk_seconds}); and {@code berth_repository_bytes{repository}} and
 * {@code berth_repository_blobs{repository}} for the largest repositories only. The repository label is the one
 * exception to label values from fixed sets, bounded by that cap: a repository that leaves the largest loses its
 * series. Before the first walk ends the totals read NaN (not known), not 0.
 */
final class UsageGauges {
  private final MultiGauge repositoryBytes;
  private final MultiGauge repositoryBlobs;
  private volatile Walked last;

  private record Walked(StorageUsage usage, Instant ended, Duration took) {
  }

  UsageGauges(Metrics metrics) {
    gauge(metrics, "berth.storage.bytes", "Bytes of the stored blobs, each counted once (at the last walk)",
        walked -> walked.usage().bytes());
    gauge(metrics, "berth.storage.blobs", "Stored blobs (at the last walk)", walked -> walked.usage().blobs());
    gauge(metrics, "berth.storage.repositories", "Repositories (at the last walk)",
        walked -> walked.usage().repositories());
    gauge(metrics, "berth.storage.usage.updated.seconds", "When the last storage usage walk ended, Unix time",
        walked -> walked.ended().toEpochMilli() / 1000.0);
    gauge(metrics, "berth.storage.usage.walk.seconds", "How long the last storage usage walk took",
        walked -> walked.took().toNanos() / 1e9);
    repositoryBytes = metrics.multiGauge("berth.repository.bytes",
        "Bytes of the blobs a repository links, for the largest repositories only (at the last walk)", null);
    repositoryBlobs = metrics.multiGauge("berth.repository.blobs",
        "Blobs a repository links, for the largest repositories only (at the last walk)", null);
  }

  private void gauge(Metrics metrics, String name, String description, ToDoubleFunction<Walked> value) {
    metrics.gauge(name, description, this, gauges -> {
      Walked walked = gauges.last;
      return walked == null ? Double.NaN : value.applyAsDouble(walked);
    });
  }

  void update(StorageUsage usage, Instant ended, Duration took) {
    last = new Walked(usage, ended, took);
    repositoryBytes.register(rows(usage, StorageUsage.RepositoryUsage::bytes), true);
    repositoryBlobs.register(rows(usage, StorageUsage.RepositoryUsage::blobs), true);
  }

  private static List<MultiGauge.Row<?>> rows(StorageUsage usage,
      ToLongFunction<StorageUsage.RepositoryUsage> value) {
    return usage.largest().stream()
        .<MultiGauge.Row<?>>map(repository -> MultiGauge.Row.of(Tags.of("repository", repository.name()),
            value.applyAsLong(repository)))
        .toList();
  }
}
