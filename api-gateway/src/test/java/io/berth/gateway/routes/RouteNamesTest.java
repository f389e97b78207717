package io.berth.gateway.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.BusClient;
import io.berth.common.config.AuthConfig;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.auth.AccessControl;
import io.berth.gateway.bus.BlobServiceClient;
import io.berth.gateway.bus.ManifestServiceClient;
import io.berth.gateway.http.MatchedRoute;
import io.berth.gateway.http.Urls;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route classes name each route of an OCI endpoint by the endpoint's template, with distribution's name for it
 * beside: the metrics' labels are those names, so a route declared without one would count under {@code other}.
 */
class RouteNamesTest {
  @Test
  void everyRouteOfAnOciEndpointIsNamedByItsTemplate(@TempDir Path directory) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = routes(vertx, directory);
      Map<String, Set<String>> methods = new TreeMap<>();
      Map<String, Set<String>> handlers = new TreeMap<>();
      for (Route route : router.getRoutes()) {
        // A route without a name answers its path or regular expression (^…) instead.
        if (route.getName() != null && route.getName().startsWith("/v2/")) {
          route.methods().forEach(method -> methods.computeIfAbsent(route.getName(), name -> new TreeSet<>())
              .add(method.name()));
          handlers.computeIfAbsent(route.getName(), name -> new TreeSet<>())
              .add(MatchedRoute.distributionHandler(route).orElse("none"));
        }
      }

      assertEquals(Map.of(
          "/v2/", Set.of("GET", "HEAD"),
          "/v2/_catalog", Set.of("GET"),
          "/v2/<name>/blobs/uploads/", Set.of("POST"),
          "/v2/<name>/blobs/uploads/<uuid>", Set.of("GET", "PATCH", "PUT", "DELETE"),
          "/v2/<name>/blobs/<digest>", Set.of("GET", "HEAD", "DELETE"),
          "/v2/<name>/manifests/<reference>", Set.of("GET", "HEAD", "PUT", "DELETE"),
          "/v2/<name>/tags/list", Set.of("GET"),
          "/v2/<name>/referrers/<digest>", Set.of("GET")), methods);
      assertEquals(Map.of(
          "/v2/", Set.of("base"),
          "/v2/_catalog", Set.of("catalog"),
          "/v2/<name>/blobs/uploads/", Set.of("blob_upload"),
          "/v2/<name>/blobs/uploads/<uuid>", Set.of("blob_upload_chunk"),
          "/v2/<name>/blobs/<digest>", Set.of("blob"),
          "/v2/<name>/manifests/<reference>", Set.of("manifest"),
          "/v2/<name>/tags/list", Set.of("tags"),
          "/v2/<name>/referrers/<digest>", Set.of("referrers")), handlers);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A CORS preflight's {@code Allow} is read from the declared routes: a route class that made a route of a method
   * without {@link DeclaredRoutes} would answer that method while preflights left it out.
   */
  @Test
  void everyRouteOfAMethodIsDeclaredSoPreflightsListIt(@TempDir Path directory) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> undeclared = new ArrayList<>();
      for (Route route : routes(vertx, directory).getRoutes()) {
        boolean ofAMethod = route.methods() != null && !route.methods().isEmpty();
        if (ofAMethod && route.getMetadata(DeclaredRoutes.REGEX) == null) {
          undeclared.add(route.methods() + " " + route.getName());
        }
      }

      assertEquals(List.of(), undeclared);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The registry's routes, mounted as the gateway mounts them. */
  private static Router routes(Vertx vertx, Path directory) throws Exception {
    Path config = directory.resolve("config.yml");
    Files.writeString(config, "version: 0.1\n"
        + "storage:\n  filesystem:\n    rootdirectory: " + directory.resolve("data") + "\n"
        + "http:\n  addr: 127.0.0.1:0\n");
    RegistryConfig registry = ConfigLoader.load(vertx, config.toString(), Map.of()).await(10, TimeUnit.SECONDS);
    AccessControl access = AccessControl.load(vertx, new AuthConfig.None(), Metrics.disabled())
        .await(10, TimeUnit.SECONDS);
    BusClient bus = new BusClient(vertx.eventBus());
    Urls urls = new Urls(registry.http());
    Router router = Router.router(vertx);
    new BaseRoutes("", access).mount(router);
    new ListingRoutes("", new ManifestServiceClient(bus), urls, access).mount(router);
    new ManifestRoutes("", new ManifestServiceClient(bus), urls, access).mount(router);
    new UploadRoutes("", vertx, new BlobServiceClient(bus), urls, access).mount(router);
    new BlobRoutes(vertx, "", new BlobServiceClient(bus), BlobFiles.SAME_PROCESS, access).mount(router);
    return router;
  }
}
