package io.berth.gateway.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.config.AuthConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.auth.AccessControl;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A preflight's {@code Allow} is the declared routes' and nothing else's: a route class that declares a new endpoint,
 * or a new method on an existing one, changes the answer with no other edit. The route class here exists only in
 * this test, so no table written for the gateway's own routes can know it.
 */
class PreflightFromDeclaredRoutesTest {
  private static Vertx vertx;
  private static WebClient client;

  /** A route class as the gateway's are written: a new endpoint, and a method added to the base endpoint's path. */
  private static final class WidgetRoutes {
    void mount(Router router) {
      String widget = RoutePaths.v2("", RoutePaths.NAME + "/widgets/(?<widget>[^/]+)");
      DeclaredRoutes.route(router, HttpMethod.GET, widget).handler(ctx -> ctx.response().end("widget"));
      DeclaredRoutes.route(router, HttpMethod.PUT, widget).handler(ctx -> ctx.response().setStatusCode(201).end());
      DeclaredRoutes.route(router, HttpMethod.POST, RoutePaths.v2("", "?")).handler(ctx -> ctx.response().end());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    AccessControl access = AccessControl.load(vertx, new AuthConfig.None(), Metrics.disabled())
        .await(10, TimeUnit.SECONDS);
    Router router = Router.router(vertx);
    new CorsPreflight("").mount(router);
    new BaseRoutes("", access).mount(router);
    new WidgetRoutes().mount(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.actualPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
    return client.request(method, path).send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aNewEndpointAnswersItsPreflightWithTheMethodsItsRoutesDeclare() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.OPTIONS, "/v2/app/one/widgets/w1");

    assertEquals(200, response.statusCode());
    assertEquals("GET, PUT", response.getHeader("Allow"));
    assertEquals("widget", send(HttpMethod.GET, "/v2/app/one/widgets/w1").bodyAsString());
  }

  @Test
  void aMethodDeclaredOnAnExistingEndpointJoinsItsAllow() throws Exception {
    HttpResponse<Buffer> response = send(HttpMethod.OPTIONS, "/v2/");

    assertEquals(200, response.statusCode());
    assertEquals("GET, HEAD, POST", response.getHeader("Allow"));
  }

  @Test
  void anEndpointThisRouterDoesNotDeclareIsNoEndpointToAPreflight() throws Exception {
    assertEquals(404, send(HttpMethod.OPTIONS, "/v2/app/one/manifests/latest").statusCode());
  }
}
