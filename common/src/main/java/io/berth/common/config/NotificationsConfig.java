package io.berth.common.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * distribution's {@code notifications} section, plus Berth's durable queue ({@code notifications.queue}) and status
 * server ({@code notifications.status}). Disabled endpoints are kept, so that the configuration reads back as written.
 */
public record NotificationsConfig(List<Endpoint> endpoints, boolean includeReferences, Queue queue, Status status) {

  /** How an endpoint's request body is shaped: distribution 2.x ({@code v1}), 3.x ({@code v2}) or CloudEvents 1.0. */
  public enum Format { V1, V2, CLOUDEVENTS }

  /**
   * One {@code notifications.endpoints[]} entry. {@code maxBackoff} equal to {@code backoff} is distribution's
   * behaviour (one try per backoff once failing); larger, the wait doubles up to it. {@code secret} null: unsigned.
   */
  public record Endpoint(String name, URI url, Map<String, List<String>> headers, Duration timeout, int threshold,
      Duration backoff, Duration maxBackoff, Set<String> ignoredMediaTypes, Set<String> ignoredActions,
      boolean disabled, Format format, String secret) {

    /** Never prints the secret: configurations end up in logs. */
    @Override
    public String toString() {
      return "Endpoint[name=" + name + ", url=" + url.getScheme() + "://" + url.getHost()
          + (url.getPort() < 0 ? "" : ":" + url.getPort()) + ", format=" + format + ", disabled=" + disabled
          + ", signed=" + (secret != null) + "]";
    }
  }

  /** {@code maxEvents} undelivered events per endpoint at most; each endpoint's log lives in its own directory. */
  public record Queue(int maxEvents, Path directory) {
  }

  /** {@code notifications.status.addr}: where per-endpoint counters are served as JSON; off unless configured. */
  public record Status(boolean enabled, String bindHost, int port) {
  }

  public static NotificationsConfig none(Path storageRoot) {
    return new NotificationsConfig(List.of(), false,
        new Queue(NotificationsConfigParser.DEFAULT_MAX_EVENTS, storageRoot.resolve("notifications")),
        new Status(false, "0.0.0.0", 0));
  }

  /** The endpoints that receive events: configured and not {@code disabled}. */
  public List<Endpoint> enabledEndpoints() {
    return endpoints.stream().filter(endpoint -> !endpoint.disabled()).toList();
  }
}
