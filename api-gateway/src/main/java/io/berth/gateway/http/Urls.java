package io.berth.gateway.http;

import io.berth.common.config.HttpConfig;
import io.berth.common.http.RequestTargets;
import io.berth.common.oci.UploadId;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Builds the URLs the registry hands out (Location, Link): absolute on {@code http.host} when it is set, relative
 * with {@code http.relativeurls}, else absolute on the host the client used, as distribution does.
 */
public final class Urls {
  private final HttpConfig http;

  public Urls(HttpConfig http) {
    this.http = http;
  }

  public String v2(HttpServerRequest request, String path) {
    String relative = http.prefix() + "/v2/" + path;
    if (http.publicUrl() != null) {
      return http.publicUrl() + relative;
    }
    String host = firstNonNull(firstEntry(request.getHeader("X-Forwarded-Host")), RequestTargets.host(request));
    if (http.relativeUrls() || host == null) {
      return relative;
    }
    String scheme = firstNonNull(firstEntry(request.getHeader("X-Forwarded-Proto")), request.scheme());
    return scheme + "://" + host + relative;
  }

  public String upload(HttpServerRequest request, String repository, UploadId uuid) {
    return v2(request, repository + "/blobs/uploads/" + uuid);
  }

  public String blob(HttpServerRequest request, String repository, String digest) {
    return v2(request, repository + "/blobs/" + digest);
  }

  /** The relative link to the next page of a listing, as the spec's {@code Link: <…>; rel="next"} wants it. */
  public String nextPage(String path, int n, String last) {
    return "<" + http.prefix() + "/v2/" + path + "?n=" + n + "&last="
        + URLEncoder.encode(last, StandardCharsets.UTF_8) + ">; rel=\"next\"";
  }

  /**
   * Each proxy in a chain appends its own entry; the first one is what the client asked for (as distribution reads
   * it). An empty one says nothing: null, as if the header were absent.
   */
  private static String firstEntry(String forwarded) {
    String first = forwarded == null ? "" : forwarded.split(",", 2)[0].trim();
    return first.isEmpty() ? null : first;
  }

  private static String firstNonNull(String first, String second) {
    return first != null ? first : second;
  }
}
