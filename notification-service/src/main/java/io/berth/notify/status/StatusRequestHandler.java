package io.berth.notify.status;

import io.berth.notify.endpoint.EndpointPipeline;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code GET /notifications} on the status address ({@code notifications.status.addr}): every enabled endpoint's
 * counters, {@code {"endpoints":[{"name","pending","maxEvents","delivered","skipped","failed","dropped",
 * "lastStatus","lastError","lastErrorTime","lastSuccess"}]}}, counted by this instance ({@code delivered}: what it
 * sent; {@code skipped}: what another instance delivered). Neither URLs, headers nor secrets are shown.
 */
public final class StatusRequestHandler implements Handler<HttpServerRequest> {
  public static final String PATH = "/notifications";

  private final List<EndpointPipeline> endpoints;

  public StatusRequestHandler(List<EndpointPipeline> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public void handle(HttpServerRequest request) {
    if (!request.path().equals(PATH)) {
      request.response().setStatusCode(404).end();
      return;
    }
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "GET, HEAD").end();
      return;
    }
    JsonArray list = new JsonArray();
    endpoints.forEach(endpoint -> list.add(endpoint.status()));
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("endpoints", list).toBuffer());
  }
}
