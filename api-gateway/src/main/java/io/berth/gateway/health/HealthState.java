package io.berth.gateway.health;

import io.berth.common.bus.message.HealthStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The process's health as requests see it: the checks this process runs and the storage check of the blob service
 * it last heard from, kept as one immutable snapshot. The checks write it when their result changes; every request
 * reads it (one volatile read), so gating {@code /v2/} on health costs nothing per request and no bus round trip.
 * Until the first result, the process is healthy, as distribution's checks are until their first run.
 */
public final class HealthState {
  private final Map<String, String> local = new HashMap<>();
  private Map<String, String> remote = Map.of();
  private volatile HealthStatus current = new HealthStatus(Map.of());

  public HealthStatus current() {
    return current;
  }

  /** A check of this process: its error, or null while it passes. */
  public synchronized void report(String check, String error) {
    if (error == null) {
      local.remove(check);
    } else {
      local.put(check, error);
    }
    publish();
  }

  /** The failing checks a blob service reported; they replace what the last one said. */
  public synchronized void remote(Map<String, String> failures) {
    remote = Map.copyOf(failures);
    publish();
  }

  private void publish() {
    Map<String, String> failures = new HashMap<>(remote);
    failures.putAll(local);
    if (!failures.equals(current.failures())) {
      current = new HealthStatus(failures);
    }
  }
}
