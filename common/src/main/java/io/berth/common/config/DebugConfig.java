package io.berth.common.config;

import java.time.Duration;

/**
 * distribution's {@code http.debug}: a second HTTP server, off unless {@code http.debug.addr} is set, that answers
 * {@code /debug/health}, the {@code /livez} and {@code /readyz} probes and, when {@code http.debug.prometheus.enabled},
 * the Prometheus metrics at {@code http.debug.prometheus.path}; and Berth's {@code http.debug.prometheus.storageusage}
 * (distribution ignores keys it does not know in this section).
 */
public record DebugConfig(boolean enabled, String bindHost, int port, boolean prometheusEnabled,
    String prometheusPath, StorageUsage storageUsage) {

  public static final String DEFAULT_PROMETHEUS_PATH = "/metrics";

  /**
   * How often the blob service walks storage for the usage gauges, and how many repositories (the largest) it exports
   * one series each for; 0 exports none.
   */
  public record StorageUsage(Duration interval, int repositories) {
    public static final StorageUsage DEFAULT = new StorageUsage(Duration.ofMinutes(5), 100);
  }

  public DebugConfig(boolean enabled, String bindHost, int port, boolean prometheusEnabled, String prometheusPath) {
    this(enabled, bindHost, port, prometheusEnabled, prometheusPath, StorageUsage.DEFAULT);
  }

  public static DebugConfig disabled() {
    return new DebugConfig(false, null, 0, false, DEFAULT_PROMETHEUS_PATH);
  }
}
