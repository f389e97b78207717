package io.berth.blob.gc;

import java.time.Duration;

/**
 * How one collection runs. A file written or relied on within {@code gracePeriod} before the collection started is
 * never deleted; zero spares nothing, as distribution's offline collector.
 */
public record GcOptions(boolean dryRun, boolean deleteUntagged, Duration gracePeriod) {

  /** distribution's {@code registry garbage-collect [--dry-run] [--delete-untagged]}: the registry is not serving. */
  public static GcOptions offline(boolean dryRun, boolean deleteUntagged) {
    return new GcOptions(dryRun, deleteUntagged, Duration.ZERO);
  }
}
