package io.berth.gateway.routes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The OCI endpoint a request path belongs to, written as the spec writes it ({@code /v2/<name>/blobs/<digest>}): a
 * metrics label with a fixed set of values, where the raw path would make one time series per repository. The
 * patterns are the route table's, in its order of precedence (uploads before blobs).
 */
public final class RouteTemplates {
  /** Every path that is no endpoint: probes of random URLs must not grow the label set either. */
  public static final String OTHER = "other";

  private final Map<Pattern, String> templates = new LinkedHashMap<>();

  public RouteTemplates(String prefix) {
    add(prefix, "?", "/v2/");
    add(prefix, "_catalog", "/v2/_catalog");
    add(prefix, RoutePaths.NAME + "/blobs/uploads/?", "/v2/<name>/blobs/uploads/");
    add(prefix, RoutePaths.NAME + "/blobs/uploads/[^/]+", "/v2/<name>/blobs/uploads/<uuid>");
    add(prefix, RoutePaths.NAME + "/blobs/[^/]+", "/v2/<name>/blobs/<digest>");
    add(prefix, RoutePaths.NAME + "/manifests/[^/]+", "/v2/<name>/manifests/<reference>");
    add(prefix, RoutePaths.NAME + "/tags/list", "/v2/<name>/tags/list");
    add(prefix, RoutePaths.NAME + "/referrers/[^/]+", "/v2/<name>/referrers/<digest>");
  }

  private void add(String prefix, String tail, String template) {
    templates.put(Pattern.compile(RoutePaths.v2(prefix, tail)), template);
  }

  public String of(String path) {
    for (Map.Entry<Pattern, String> template : templates.entrySet()) {
      if (template.getKey().matcher(path).matches()) {
        return template.getValue();
      }
    }
    return OTHER;
  }
}
