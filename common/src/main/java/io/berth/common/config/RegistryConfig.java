package io.berth.common.config;

import java.util.List;

/**
 * The whole configuration, typed and validated. {@code ignored} names the keys of a distribution config file that
 * Berth read but does not act on yet, so startup can warn about each.
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
