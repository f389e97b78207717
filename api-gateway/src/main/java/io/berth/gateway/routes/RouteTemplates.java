package io.berth.gateway.routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The OCI endpoint a request path belongs to, written as the spec writes it ({@code /v2/<name>/blobs/<digest>}): a
 * metrics label with a fixed set of values, where the raw path would make one time series per repository; and
 * distribution's name for the route ({@code blob}), the {@code handler} label of its {@code registry_http_*} series.
 * The patterns are the route table's, in its order of precedence (uploads before blobs).
 */
public final class RouteTemplates {
  /** Every path that is no endpoint: probes of random URLs must not grow the label set either. */
  public static final String OTHER = "other";

  /**
   * An endpoint's template and distribution's route name, null for a path that is no endpoint of distribution's (its
   * metrics count only requests routed to a handler). Referrers, which distribution does not serve, are
   * {@code referrers}.
   */
  public record Endpoint(String template, String handler) {
  }

  private static final Endpoint NONE = new Endpoint(OTHER, null);

  private final Map<Pattern, Endpoint> endpoints = new LinkedHashMap<>();

  public RouteTemplates(String prefix) {
    add(prefix, "?", "/v2/", "base");
    add(prefix, "_catalog", "/v2/_catalog", "catalog");
    add(prefix, RoutePaths.NAME + "/blobs/uploads/?", "/v2/<name>/blobs/uploads/", "blob_upload");
    add(prefix, RoutePaths.NAME + "/blobs/uploads/[^/]+", "/v2/<name>/blobs/uploads/<uuid>", "blob_upload_chunk");
    add(prefix, RoutePaths.NAME + "/blobs/[^/]+", "/v2/<name>/blobs/<digest>", "blob");
    add(prefix, RoutePaths.NAME + "/manifests/[^/]+", "/v2/<name>/manifests/<reference>", "manifest");
    add(prefix, RoutePaths.NAME + "/tags/list", "/v2/<name>/tags/list", "tags");
    add(prefix, RoutePaths.NAME + "/referrers/[^/]+", "/v2/<name>/referrers/<digest>", "referrers");
  }

  private void add(String prefix, String tail, String template, String handler) {
    endpoints.put(Pattern.compile(RoutePaths.v2(prefix, tail)), new Endpoint(template, handler));
  }

  public Endpoint of(String path) {
    for (Map.Entry<Pattern, Endpoint> endpoint : endpoints.entrySet()) {
      if (endpoint.getKey().matcher(path).matches()) {
        return endpoint.getValue();
      }
    }
    return NONE;
  }
}
