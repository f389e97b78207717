package io.berth.common.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} section. {@code bindHost}/{@code port} come from {@code http.addr}; {@code publicUrl} is
 * {@code http.host} (absolute URLs in Location headers), or null for URLs relative to the request;
 * {@code connections} are the server's timeouts and connection caps.
 */
public record HttpConfig(String bindHost, int port, String prefix, String publicUrl, boolean relativeUrls,
    Map<String, List<String>> headers, Duration drainTimeout, ConnectionLimits connections) {

  public HttpConfig withAddress(String host, int newPort) {
    return new HttpConfig(host, newPort, prefix, publicUrl, relativeUrls, headers, drainTimeout, connections);
  }
}
