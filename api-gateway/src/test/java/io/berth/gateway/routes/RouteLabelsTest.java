package io.berth.gateway.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Polling;
import io.berth.gateway.GatewayVerticle;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every endpoint's requests are counted under its one template and distribution's route name (its metrics'
 * {@code handler}), the names its routes carry; nothing of a repository name reaches a label. Asked of the real
 * gateway's router: each request is answered (by services that refuse everything, which is all a label needs) and
 * its series read from the gateway's meters. (Until issue 14 the labels came from a table of the routes' regular
 * expressions, {@code RouteTemplates}, which this test asked path by path; the cases and labels are the same.)
 */
class RouteLabelsTest {
  private static final String DIGEST = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final List<String> ADDRESSES = List.of(Addresses.CATALOG, Addresses.TAG_LIST, Addresses.REFERRERS,
      Addresses.MANIFEST_GET, Addresses.BLOB_STAT, Addresses.UPLOAD_START, Addresses.UPLOAD_STATUS);

  private static Vertx vertx;
  private static Gateway plain;
  private static Gateway mirror;

  private record Gateway(Metrics metrics, WebClient client) {
    double requests(String route) {
      return sum(metrics.registry().find("berth.http.requests").tag("route", route).counters());
    }

    double distributionRequests(String handler) {
      return sum(handler == null ? metrics.registry().find("registry.http.requests").counters()
          : metrics.registry().find("registry.http.requests").tag("handler", handler).counters());
    }

    private static double sum(Collection<Counter> counters) {
      return counters.stream().mapToDouble(Counter::count).sum();
    }
  }

  @BeforeAll
  static void start(@TempDir Path directory) throws Exception {
    vertx = Vertx.vertx();
    for (String address : ADDRESSES) {
      BusConsumers.register(vertx.eventBus(), address,
          body -> Future.failedFuture(new RegistryException(ErrorCode.NAME_UNKNOWN, "no services in this test")));
    }
    plain = gateway(directory.resolve("plain"), "");
    mirror = gateway(directory.resolve("mirror"), "  prefix: /mirror\n");
  }

  private static Gateway gateway(Path directory, String httpKeys) throws Exception {
    Files.createDirectories(directory);
    Path config = directory.resolve("config.yml");
    Files.writeString(config, "version: 0.1\n"
        + "storage:\n  filesystem:\n    rootdirectory: " + directory.resolve("data") + "\n"
        + "http:\n  addr: 127.0.0.1:0\n" + httpKeys);
    RegistryConfig registry = ConfigLoader.load(vertx, config.toString(), Map.of()).await(10, TimeUnit.SECONDS);
    Metrics metrics = Metrics.prometheus();
    GatewayVerticle verticle = new GatewayVerticle(registry, BlobFiles.SAME_PROCESS, metrics);
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    return new Gateway(metrics, WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(verticle.port()).setFollowRedirects(false)));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET  | /v2/                                            | /v2/                             | base",
      "GET  | /v2                                             | /v2/                             | base",
      "GET  | /v2/_catalog                                    | /v2/_catalog                     | catalog",
      "POST | /v2/library/alpine/blobs/uploads/               | /v2/<name>/blobs/uploads/        | blob_upload",
      "GET  | /v2/library/alpine/blobs/uploads/0b7c9b5e-1d2f  | /v2/<name>/blobs/uploads/<uuid>  | blob_upload_chunk",
      "GET  | /v2/library/alpine/blobs/" + DIGEST + "         | /v2/<name>/blobs/<digest>        | blob",
      "GET  | /v2/a/b/c/d/blobs/" + DIGEST + "                | /v2/<name>/blobs/<digest>        | blob",
      "GET  | /v2/library/alpine/manifests/3.20               | /v2/<name>/manifests/<reference> | manifest",
      "GET  | /v2/library/alpine/manifests/" + DIGEST + "     | /v2/<name>/manifests/<reference> | manifest",
      "GET  | /v2/library/alpine/tags/list                    | /v2/<name>/tags/list             | tags",
      "GET  | /v2/library/alpine/referrers/" + DIGEST + "     | /v2/<name>/referrers/<digest>    | referrers",
      "GET  | /v2/library/alpine                              | other                            |",
      "GET  | /favicon.ico                                    | other                            |",
      "GET  | /wp-login.php                                   | other                            |"})
  void aPathMapsToItsEndpointTemplateAndDistributionsHandlerName(String method, String path, String template,
      String handler) throws Exception {
    assertEquals(handler == null ? 0 : 1, countedUnder(plain, method, path, template, handler),
        "none for a path that is no endpoint of distribution");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/mirror/v2/                                  | /v2/",
      "/mirror/v2/library/alpine/manifests/latest   | /v2/<name>/manifests/<reference>",
      "/v2/library/alpine/manifests/latest          | other"})
  void withAPrefixOnlyPathsUnderItAreEndpoints(String path, String template) throws Exception {
    countedUnder(mirror, "GET", path, template, null);
  }

  /**
   * Sends one request and waits until it is counted under {@code template}; answers how many requests distribution's
   * series counted meanwhile under {@code handler} (all of them when it is null).
   */
  private static double countedUnder(Gateway gateway, String method, String path, String template, String handler)
      throws Exception {
    double before = gateway.requests(template);
    double distributionBefore = gateway.distributionRequests(handler);
    gateway.client().request(HttpMethod.valueOf(method), path).send().await(10, TimeUnit.SECONDS);
    // The gateway counts after the response has gone, each series in turn: wait for the last one expected.
    double[] after = Polling.until(
        () -> new double[] {gateway.requests(template), gateway.distributionRequests(handler)},
        counts -> counts[0] > before && (handler == null || counts[1] > distributionBefore),
        Duration.ofMillis(10), Duration.ofSeconds(10));
    assertEquals(before + 1, after[0], () -> method + " " + path + " under " + template);
    return after[1] - distributionBefore;
  }
}
