package io.berth.gateway.health;

import io.berth.gateway.bus.HealthClient;
import io.vertx.core.Future;

/**
 * The storage check as a process without storage sees it: a blob service's answer (its failing checks) goes into
 * {@link HealthState}. A question nobody answers is the failing check {@code blob_service}: at once while no blob
 * service has ever answered (a gateway starting before them is not ready), else only after the threshold, since the
 * bus may put one question to an instance that has just died while others still serve.
 */
final class BlobServicePoll {
  private final HealthClient client;
  private final HealthState state;
  private boolean answered;
  private String lastFailure;

  BlobServicePoll(HealthClient client, HealthState state) {
    this.client = client;
    this.state = state;
  }

  Future<?> probe() {
    return client.status().onComplete(answer -> {
      if (answer.succeeded()) {
        answered = true;
        state.remote(answer.result().failures());
      } else {
        lastFailure = answer.cause().getMessage();
      }
    });
  }

  /** The check's listener: what its threshold reports, or, before any answer, the last failure. */
  void report(String check, String error) {
    state.report(check, error != null || answered ? error : lastFailure);
  }
}
