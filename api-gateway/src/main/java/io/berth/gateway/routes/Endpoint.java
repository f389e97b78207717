package io.berth.gateway.routes;

import io.berth.gateway.http.MatchedRoute;
import io.vertx.ext.web.Route;

/**
 * The OCI endpoints, by the names their routes carry: each written as the spec writes it
 * ({@code /v2/<name>/blobs/<digest>}), which is the {@code route} label of the request metrics, a fixed set of values
 * where the raw path would make one time series per repository; and distribution's name for it ({@code blob}), the
 * {@code handler} label of its {@code registry_http_*} series. Referrers, which distribution does not serve, are
 * {@code referrers}. A route of Berth's own (a repository's delete) has no name and counts under {@code other}.
 */
public enum Endpoint {
  BASE("/v2/", "base"),
  CATALOG("/v2/_catalog", "catalog"),
  UPLOADS("/v2/<name>/blobs/uploads/", "blob_upload"),
  UPLOAD("/v2/<name>/blobs/uploads/<uuid>", "blob_upload_chunk"),
  BLOB("/v2/<name>/blobs/<digest>", "blob"),
  MANIFEST("/v2/<name>/manifests/<reference>", "manifest"),
  TAGS("/v2/<name>/tags/list", "tags"),
  REFERRERS("/v2/<name>/referrers/<digest>", "referrers");

  private final String template;
  private final String distributionHandler;

  Endpoint(String template, String distributionHandler) {
    this.template = template;
    this.distributionHandler = distributionHandler;
  }

  /** Names {@code route} for this endpoint; its first handler records that a request took it. */
  Route named(Route route) {
    return route.setName(template).putMetadata(MatchedRoute.DISTRIBUTION_HANDLER, distributionHandler)
        .handler(MatchedRoute.RECORD);
  }
}
