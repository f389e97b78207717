package io.berth.notify.delivery;

import io.berth.common.config.NotificationsConfig;
import io.berth.notify.format.PayloadFormat;
import io.berth.notify.format.Signature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * POSTs one event to one endpoint with its own HTTP client, so a slow endpoint holds only its own connection.
 * {@code timeout} bounds the whole exchange, as Go's {@code http.Client.Timeout} does in distribution. Only a 2xx
 * answer counts as delivered: a redirect is not followed (distribution's client would re-send a 301/302 as a GET,
 * without the event) and shows up as the endpoint's last status instead.
 */
final class WebhookSender {
  private static final String USER_AGENT = "Berth-Notifications/1";

  private final HttpClientAgent client;
  private final NotificationsConfig.Endpoint endpoint;
  private final String url;
  private final String basicAuthorization;
  private final PayloadFormat format;
  private final Signature signature;

  WebhookSender(Vertx vertx, NotificationsConfig.Endpoint endpoint, PayloadFormat format) {
    this.endpoint = endpoint;
    this.format = format;
    URI configured = endpoint.url();
    this.url = withoutUserInfo(configured);
    // As Go's client does for distribution: credentials in the URL become Basic auth, unless a header sets it.
    boolean authorizationConfigured = endpoint.headers().keySet().stream()
        .anyMatch(name -> name.equalsIgnoreCase("Authorization"));
    this.basicAuthorization = configured.getUserInfo() == null || authorizationConfigured ? null
        : "Basic " + Base64.getEncoder().encodeToString(configured.getUserInfo().getBytes(StandardCharsets.UTF_8));
    this.signature = endpoint.secret() == null ? null : new Signature(endpoint.secret());
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, endpoint.timeout().toMillis());
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeoutMs).setKeepAliveTimeout(30),
        new PoolOptions().setHttp1MaxSize(1));
  }

  Future<Attempt> send(JsonObject event) {
    Buffer body = format.body(event);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setAbsoluteURI(url).setFollowRedirects(false)
        .putHeader(HttpHeaders.CONTENT_TYPE, format.contentType())
        .putHeader(HttpHeaders.USER_AGENT, USER_AGENT);
    for (Map.Entry<String, List<String>> header : endpoint.headers().entrySet()) {
      for (String value : header.getValue()) {
        options.addHeader(header.getKey(), value);
      }
    }
    if (basicAuthorization != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, basicAuthorization);
    }
    if (signature != null) {
      options.putHeader(Signature.HEADER, signature.sign(body));
    }
    Future<HttpClientRequest> request = client.request(options);
    return request.compose(req -> req.send(body))
        .compose(this::drain)
        .timeout(endpoint.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(failure -> {
          if (request.succeeded()) {
            request.result().reset();
          }
        })
        .map(Attempt::answered)
        .otherwise(failure -> Attempt.failed(describe(failure)));
  }

  /** Reads the answer's body away, discarding it, so the connection can be reused. */
  private Future<Integer> drain(HttpClientResponse response) {
    response.handler(ignored -> { });
    return response.end().map(done -> response.statusCode());
  }

  private static String withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    String authority = uri.getRawAuthority().substring(uri.getRawAuthority().lastIndexOf('@') + 1);
    return uri.getScheme() + "://" + authority + (uri.getRawPath() == null ? "" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  Future<Void> close() {
    return client.close();
  }
}
