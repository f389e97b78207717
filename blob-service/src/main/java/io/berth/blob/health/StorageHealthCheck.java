package io.berth.blob.health;

import io.berth.common.config.HealthConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * distribution's periodic {@code storagedriver_<driver>} check: probes storage every interval, each probe starting
 * only after the previous one ended (a hung file system yields one timed-out probe per period, not a pile of them),
 * and counts results into {@code berth_health_checks_total{check, outcome}}.
 */
final class StorageHealthCheck {
  private static final Logger LOG = LoggerFactory.getLogger(StorageHealthCheck.class);
  private static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final String name;
  private final StorageProbe probe;
  private final Duration interval;
  private final ThresholdStatus status;
  private final Metrics metrics;
  private long timer = -1;
  private boolean stopped;

  StorageHealthCheck(Vertx vertx, String name, StorageProbe probe, HealthConfig.StorageDriverCheck config,
      Metrics metrics) {
    this.vertx = vertx;
    this.name = name;
    this.probe = probe;
    this.interval = config.interval();
    this.status = new ThresholdStatus(config.threshold());
    this.metrics = metrics;
  }

  String name() {
    return name;
  }

  /** The error to report under {@link #name()}, or null. */
  String reported() {
    return status.reported();
  }

  /** Runs the first probe now, so a broken storage shows from the start rather than one interval later. */
  void start() {
    runProbe();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void runProbe() {
    long timeoutMs = Math.max(interval.toMillis(), MIN_PROBE_TIMEOUT.toMillis());
    probe.run().timeout(timeoutMs, TimeUnit.MILLISECONDS).onComplete(result -> {
      String failure = result.succeeded() ? null : result.cause().toString();
      boolean wasReported = status.reported() != null;
      status.update(failure);
      metrics.counter("berth.health.checks", "Health check results by check and outcome",
          "check", name, "outcome", failure == null ? "pass" : "fail").increment();
      logChange(wasReported, failure);
      if (!stopped) {
        timer = vertx.setTimer(Math.max(1, interval.toMillis()), id -> runProbe());
      }
    });
  }

  private void logChange(boolean wasReported, String failure) {
    if (!wasReported && status.reported() != null) {
      LOG.error("health check failing [check: {}]: {}", name, failure);
    } else if (wasReported && status.reported() == null) {
      LOG.info("health check passing again [check: {}]", name);
    }
  }
}
