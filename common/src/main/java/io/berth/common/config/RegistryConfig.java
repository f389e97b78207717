package io.berth.common.config;

import java.util.List;

/**
 * The whole configuration, typed and validated. {@code ignored} names the keys of a distribution config file that
 * Berth does not act on yet and that only tune, so startup can warn about each (the others stop startup).
 */
public record RegistryConfig(String version, LogConfig log, StorageConfig storage, HttpConfig http, AuthConfig auth,
    AuthServerConfig authServer, NotificationsConfig notifications, List<String> ignored, DebugConfig debug,
    HealthConfig health, MaintenanceConfig maintenance, TlsConfig tls, GcConfig gc, ClusterConfig cluster) {

  /** A copy that listens on another address, for tests and tools that pick their own port. */
  public RegistryConfig withHttp(HttpConfig other) {
    return new RegistryConfig(version, log, storage, other, auth, authServer, notifications, ignored, debug, health,
        maintenance, tls, gc, cluster);
  }
}
