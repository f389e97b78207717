package io.berth.blob.gc;

import io.berth.common.bus.message.GcResult;
import io.berth.common.metrics.Metrics;

/** Counts each online collection's run and what it freed, from the counts it publishes when it completes. */
final class GcMetrics {
  private final Metrics metrics;

  GcMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  void record(GcResult result) {
    String outcome = result.stopped() ? "stopped" : "completed";
    metrics.counter("berth.gc.runs", "Online garbage collections run", "outcome", outcome).increment();
    metrics.counter("berth.gc.freed.bytes", "Bytes of blobs deleted by online garbage collection")
        .increment(result.bytesFreed());
    metrics.counter("berth.gc.deleted.blobs", "Blobs deleted by online garbage collection")
        .increment(result.blobsDeleted());
  }
}
