package io.berth.common.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * distribution's {@code health} section: the storage check, and periodic checks of files, HTTP URIs and TCP
 * addresses. While any of them reports a failure, the registry answers every request 503 and {@code /debug/health}
 * lists the failures, as distribution does.
 */
public record HealthConfig(StorageDriverCheck storageDriver, List<FileCheck> files, List<HttpCheck> http,
    List<TcpCheck> tcp) {
  public HealthConfig {
    files = List.copyOf(files);
    http = List.copyOf(http);
    tcp = List.copyOf(tcp);
  }

  /** Only the storage check, as a configuration without {@code file}, {@code http} and {@code tcp} lists has. */
  public HealthConfig(StorageDriverCheck storageDriver) {
    this(storageDriver, List.of(), List.of(), List.of());
  }

  /**
   * {@code health.storagedriver}: probe the storage every {@code interval}; report the failure once {@code threshold}
   * probes in a row failed (0 reports the first, as distribution).
   */
  public record StorageDriverCheck(boolean enabled, Duration interval, int threshold) {
  }

  /**
   * {@code health.file[]}: fails while {@code file} exists, to take a registry out of rotation by creating a file.
   * distribution registers it without a threshold (its {@code threshold} key is read by nothing), and so does Berth.
   */
  public record FileCheck(Path file, Duration interval) {
    /** The check's name in {@code /debug/health}: the path as configured, as distribution names it. */
    public String name() {
      return file.toString();
    }
  }

  /**
   * {@code health.http[]}: a HEAD request to {@code uri} with {@code headers} must answer {@code statusCode} within
   * {@code timeout} (zero: no timeout of its own, the check's overall limit applies).
   */
  public record HttpCheck(URI uri, Map<String, List<String>> headers, int statusCode, Duration timeout,
      Duration interval, int threshold) {
    public HttpCheck {
      headers = Map.copyOf(headers);
    }

    public String name() {
      return uri.toString();
    }
  }

  /** {@code health.tcp[]}: a TCP connection to {@code addr} ({@code host:port}) must open within {@code timeout}. */
  public record TcpCheck(String addr, String host, int port, Duration timeout, Duration interval, int threshold) {
    public String name() {
      return addr;
    }
  }
}
