package io.berth.common.health;

import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of distribution's periodic health checks: runs its probe every interval, each probe starting only after the
 * previous one ended (a hung dependency yields one timed-out probe per period, not a pile of them), applies the
 * threshold, hands what it reports to a listener after every probe, logs each change once and counts results into
 * {@code berth_health_checks_total{check, outcome}}.
 */
public final class PeriodicCheck {
  private static final Logger LOG = LoggerFactory.getLogger(PeriodicCheck.class);
  private static final Duration MIN_PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final String name;
  private final Duration interval;
  private final Duration failingInterval;
  private final ThresholdStatus status;
  private final Supplier<Future<?>> probe;
  private final BiConsumer<String, String> listener;
  private final Metrics metrics;
  private long timer = -1;
  private boolean stopped;

  /**
   * {@code listener} gets the check's name and the error it reports (null while passing or below the threshold)
   * after every probe, on the Vert.x context that started the check.
   */
  public PeriodicCheck(Vertx vertx, String name, Duration interval, int threshold, Supplier<Future<?>> probe,
      BiConsumer<String, String> listener, Metrics metrics) {
    this(vertx, name, interval, interval, threshold, probe, listener, metrics);
  }

  /** A check that probes every {@code failingInterval} instead after a failed probe, to see a change sooner. */
  public PeriodicCheck(Vertx vertx, String name, Duration interval, Duration failingInterval, int threshold,
      Supplier<Future<?>> probe, BiConsumer<String, String> listener, Metrics metrics) {
    this.vertx = vertx;
    this.name = name;
    this.interval = interval;
    this.failingInterval = failingInterval;
    this.status = new ThresholdStatus(threshold);
    this.probe = probe;
    this.listener = listener;
    this.metrics = metrics;
  }

  public String name() {
    return name;
  }

  /** The longest a probe may take: the interval, but never less than 5 s. */
  public static Duration probeTimeout(Duration interval) {
    return interval.compareTo(MIN_PROBE_TIMEOUT) > 0 ? interval : MIN_PROBE_TIMEOUT;
  }

  /**
   * Runs the first probe now, so a failure shows from the start rather than one interval later (distribution waits
   * an interval); the future completes when that first probe has been reported.
   */
  public Future<Void> start() {
    Promise<Void> first = Promise.promise();
    runProbe(first);
    return first.future();
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private void runProbe(Promise<Void> reported) {
    Future<?> result;
    try {
      result = probe.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.timeout(probeTimeout(interval).toMillis(), TimeUnit.MILLISECONDS).onComplete(outcome -> {
      String failure = outcome.succeeded() ? null : describe(outcome.cause());
      boolean wasReported = status.reported() != null;
      status.update(failure);
      metrics.counter("berth.health.checks", "Health check results by check and outcome",
          "check", name, "outcome", failure == null ? "pass" : "fail").increment();
      logChange(wasReported, failure);
      listener.accept(name, status.reported());
      reported.tryComplete();
      if (!stopped) {
        Duration next = failure == null ? interval : failingInterval;
        timer = vertx.setTimer(Math.max(1, next.toMillis()), id -> runProbe(Promise.promise()));
      }
    });
  }

  /** The message a failure carries, as distribution reports a check's error; its type when it has none. */
  private static String describe(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.toString();
  }

  private void logChange(boolean wasReported, String failure) {
    if (!wasReported && status.reported() != null) {
      LOG.error("health check failing [check: {}]: {}", name, failure);
    } else if (wasReported && status.reported() == null) {
      LOG.info("health check passing again [check: {}]", name);
    }
  }
}
