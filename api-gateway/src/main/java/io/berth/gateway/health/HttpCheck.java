package io.berth.gateway.health;

import io.berth.common.config.HealthConfig;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * distribution's {@code checks.HTTPChecker}: a HEAD request with the configured headers must answer the expected
 * status. Its errors read as distribution's ({@code <uri>: downstream service returned unexpected status: 500}).
 */
final class HttpCheck {
  private final HttpClient client;
  private final HealthConfig.HttpCheck check;

  HttpCheck(HttpClient client, HealthConfig.HttpCheck check) {
    this.client = client;
    this.check = check;
  }

  Future<Void> run() {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.HEAD).setAbsoluteURI(check.uri().toString());
    check.headers().forEach((name, values) -> options.putHeader(name, List.<CharSequence>copyOf(values)));
    if (!check.timeout().isZero()) {
      options.setConnectTimeout(check.timeout().toMillis()).setIdleTimeout(check.timeout().toMillis());
    }
    return client.request(options)
        .compose(HttpClientRequest::send)
        .recover(failure -> Future.failedFuture(check.uri() + ": error while checking: " + failure.getMessage()))
        .compose(response -> response.statusCode() == check.statusCode() ? Future.<Void>succeededFuture()
            : Future.failedFuture(check.uri() + ": downstream service returned unexpected status: "
                + response.statusCode()));
  }
}
