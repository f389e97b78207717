package io.berth.launcher.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Eventually;
import io.berth.launcher.EmbeddedRegistry;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/grafana/berth-registry.json} parses as a dashboard, and every series its queries name is one a scrape
 * of Berth exposes after a push and a pull, or, where Berth cannot expose it, one distribution does.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD = Path.of("deploy", "grafana", "berth-registry.json");
  private static final Pattern SERIES = Pattern.compile("\\b(?:registry|berth)_[a-z0-9_]+");
  /**
   * distribution's {@code notifications/metrics.go}: a gauge named with {@code _total}, which the Prometheus Java
   * client refuses, so Berth's pending count is {@code berth_notifications_pending}.
   */
  private static final Set<String> DISTRIBUTION_ONLY = Set.of("registry_notifications_pending_total");

  private static Path base;
  private static Vertx receiverVertx;
  private static Vertx vertx;
  private static EmbeddedRegistry registry;
  private static WebClient http;

  @BeforeAll
  static void startRegistry() throws Exception {
    base = Files.createTempDirectory("berth-ops-dashboard");
    receiverVertx = Vertx.vertx();
    int receiver = receiverVertx.createHttpServer()
        .requestHandler(request -> request.response().setStatusCode(200).end())
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
    MeteredRegistry started = MeteredRegistry.start(base.resolve("data"), Map.of(
        "REGISTRY_HTTP_DEBUG_PROMETHEUS_STORAGEUSAGE_INTERVAL", "100ms",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "receiver",
        "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "http://127.0.0.1:" + receiver + "/events"));
    vertx = started.vertx();
    registry = started.registry();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.stop(30_000);
    receiverVertx.close().await(10, TimeUnit.SECONDS);
    RunningRegistry.deleteTree(base);
  }

  private static Path dashboard() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve(DASHBOARD))) {
      dir = dir.getParent();
    }
    assertTrue(dir != null, "no " + DASHBOARD + " above " + Path.of("").toAbsolutePath());
    return dir.resolve(DASHBOARD);
  }

  private static Future<Exposition> scrape() {
    return http.get(registry.debugPort(), "127.0.0.1", "/metrics").send()
        .map(response -> Exposition.parse(response.bodyAsString()));
  }

  @Test
  void everyQueryNamesASeriesBerthOrDistributionExposes() throws Exception {
    JsonObject json = new JsonObject(Files.readString(dashboard()));
    List<String> expressions = expressions(json);
    PushPullClient client = new PushPullClient("http://127.0.0.1:" + registry.port());
    client.push("dashboard/app", "v1", Image.of(Blob.random(500, 41), Blob.random(5_000, 42)));
    client.pull("dashboard/app", "v1");

    Exposition scrape = Eventually.await(vertx, GrafanaDashboardTest::scrape,
        metrics -> metrics.sum("berth_repository_bytes", Map.of("repository", "dashboard/app")) > 0
            && metrics.sum("registry_notifications_status_total", Map.of("code", "200 OK")) > 0);
    Set<String> exposed = scrape.samples().stream().map(Exposition.Sample::name).collect(Collectors.toSet());

    assertTrue(expressions.size() >= 10, () -> "queries: " + expressions);
    Set<String> named = new TreeSet<>();
    for (String expression : expressions) {
      List<String> series = SERIES.matcher(expression).results().map(MatchResult::group).toList();
      assertFalse(series.isEmpty(), () -> "a query naming no registry or berth series: " + expression);
      named.addAll(series);
    }
    Set<String> missing = named.stream().filter(name -> !exposed.contains(name) && !DISTRIBUTION_ONLY.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), missing, "series the dashboard queries that no scrape exposes");
    assertTrue(named.stream().anyMatch(name -> name.startsWith("registry_http_")), named::toString);
    assertTrue(named.stream().anyMatch(name -> name.startsWith("registry_storage_action_seconds")), named::toString);
    assertTrue(named.stream().anyMatch(name -> name.startsWith("berth_storage_")), named::toString);
  }

  @Test
  void theDashboardAsksForItsPrometheusDataSourceAndEveryPanelUsesIt() throws Exception {
    JsonObject json = new JsonObject(Files.readString(dashboard()));
    JsonArray variables = json.getJsonObject("templating").getJsonArray("list");
    JsonObject datasource = variables.stream().map(JsonObject.class::cast)
        .filter(variable -> variable.getString("name").equals("datasource")).findFirst().orElseThrow();
    assertEquals("prometheus", datasource.getString("query"));
    for (Object panel : json.getJsonArray("panels")) {
      JsonObject object = (JsonObject) panel;
      if (!object.getString("type").equals("row")) {
        assertEquals("${datasource}", object.getJsonObject("datasource").getString("uid"), object.getString("title"));
        assertFalse(object.getJsonArray("targets").isEmpty(), object.getString("title"));
      }
    }
  }

  /** The queries of every panel, rows' nested panels included, and of the dashboard's variables. */
  private static List<String> expressions(JsonObject dashboard) {
    List<String> expressions = new ArrayList<>();
    collect(dashboard.getJsonArray("panels"), expressions);
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      Object query = ((JsonObject) variable).getValue("query");
      if (query instanceof JsonObject object) {
        expressions.add(object.getString("query"));
      }
    }
    return expressions;
  }

  private static void collect(JsonArray panels, List<String> expressions) {
    for (Object panel : panels) {
      JsonObject object = (JsonObject) panel;
      JsonArray targets = object.getJsonArray("targets", new JsonArray());
      targets.forEach(target -> expressions.add(((JsonObject) target).getString("expr")));
      collect(object.getJsonArray("panels", new JsonArray()), expressions);
    }
  }
}
