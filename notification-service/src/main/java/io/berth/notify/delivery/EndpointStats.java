package io.berth.notify.delivery;

import io.berth.common.metrics.DistributionMetrics;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One endpoint's counters since this service started: events this instance delivered, events it skipped because
 * another instance delivered them, failed attempts, events dropped (past the queue bound, or unreadable), the last
 * answer and error, the last success. Touched on the verticle's event loop only.
 *
 * <p>They also feed distribution's {@code registry_notifications_events_total{type, endpoint}} (Events when queued,
 * Successes when delivered, Failures for an attempt answered with an error status, Errors for one without an answer)
 * and {@code registry_notifications_status_total{code, endpoint}} for every answer.
 */
public final class EndpointStats {
  private final String endpoint;
  private final DistributionMetrics distribution;
  private long delivered;
  private long skipped;
  private long failedAttempts;
  private long dropped;
  private Integer lastStatus;
  private String lastError;
  private Instant lastErrorTime;
  private Instant lastSuccess;

  public EndpointStats(String endpoint, DistributionMetrics distribution) {
    this.endpoint = endpoint;
    this.distribution = distribution;
  }

  /** An event entered the endpoint's queue. */
  public void accepted() {
    distribution.notificationEvent("Events", endpoint);
  }

  void delivered(int status, Instant at) {
    distribution.notificationEvent("Successes", endpoint);
    distribution.notificationStatus(status, endpoint);
    delivered++;
    lastStatus = status;
    lastSuccess = at;
  }

  void skipped() {
    skipped++;
  }

  void failed(Attempt attempt, Instant at) {
    if (attempt.status() == 0) {
      distribution.notificationEvent("Errors", endpoint);
    } else {
      distribution.notificationEvent("Failures", endpoint);
      distribution.notificationStatus(attempt.status(), endpoint);
    }
    failedAttempts++;
    if (attempt.status() != 0) {
      lastStatus = attempt.status();
    }
    lastError = attempt.error();
    lastErrorTime = at;
  }

  public void dropped(long count) {
    dropped += count;
  }

  public long droppedCount() {
    return dropped;
  }

  /** The counters as JSON, with the endpoint's name and its queue's {@code pending} count and bound. */
  public JsonObject toJson(String name, long pending, long maxEvents) {
    return new JsonObject()
        .put("name", name)
        .put("pending", pending)
        .put("maxEvents", maxEvents)
        .put("delivered", delivered)
        .put("skipped", skipped)
        .put("failed", failedAttempts)
        .put("dropped", dropped)
        .put("lastStatus", lastStatus)
        .put("lastError", lastError)
        .put("lastErrorTime", lastErrorTime == null ? null : lastErrorTime.toString())
        .put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
  }
}
