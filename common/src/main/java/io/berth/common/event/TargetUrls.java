package io.berth.common.event;

import io.berth.common.config.HttpConfig;

/**
 * The {@code target.url} of an event, built as distribution's URL builder builds the Location of the same content:
 * absolute on {@code http.host} when it is set, relative with {@code http.relativeurls}, else absolute on the Host
 * the client used. A service knows only the Host header the gateway passed on, not {@code X-Forwarded-Host} or
 * {@code X-Forwarded-Proto}, and the gateway listens on plain HTTP, so it says {@code http://}: behind a proxy,
 * set {@code http.host} and the URLs match the Location headers the client saw. With no Host at all (a request that
 * did not come from a client) the URL is relative.
 */
public final class TargetUrls {
  private final HttpConfig http;

  public TargetUrls(HttpConfig http) {
    this.http = http;
  }

  public String manifest(RequestInfo request, String repository, String digest) {
    return url(request, repository + "/manifests/" + digest);
  }

  public String blob(RequestInfo request, String repository, String digest) {
    return url(request, repository + "/blobs/" + digest);
  }

  private String url(RequestInfo request, String path) {
    String relative = http.prefix() + "/v2/" + path;
    if (http.publicUrl() != null) {
      return http.publicUrl() + relative;
    }
    if (http.relativeUrls() || request.host() == null || request.host().isEmpty()) {
      return relative;
    }
    return "http://" + request.host() + relative;
  }
}
