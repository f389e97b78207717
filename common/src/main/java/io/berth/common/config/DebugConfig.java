package io.berth.common.config;

/**
 * distribution's {@code http.debug}: a second HTTP server, off unless {@code http.debug.addr} is set, that answers
 * {@code /debug/health}, the {@code /livez} and {@code /readyz} probes and, when {@code http.debug.prometheus.enabled},
 * the Prometheus metrics at {@code http.debug.prometheus.path}.
 */
public record DebugConfig(boolean enabled, String bindHost, int port, boolean prometheusEnabled,
    String prometheusPath) {

  public static final String DEFAULT_PROMETHEUS_PATH = "/metrics";

  public static DebugConfig disabled() {
    return new DebugConfig(false, null, 0, false, DEFAULT_PROMETHEUS_PATH);
  }
}
