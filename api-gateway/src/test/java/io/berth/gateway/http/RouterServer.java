package io.berth.gateway.http;

import static io.berth.common.testing.Await.result;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;

/** A real HTTP server on 127.0.0.1 and a free port, routing like the gateway: OCI failure handler included. */
final class RouterServer implements AutoCloseable {
  private final HttpServer server;

  private RouterServer(HttpServer server) {
    this.server = server;
  }

  static RouterServer start(Vertx vertx, Consumer<Router> routes) {
    Router router = Router.router(vertx);
    routes.accept(router);
    OciFailureHandler failures = new OciFailureHandler();
    router.route().failureHandler(failures);
    router.errorHandler(404, failures).errorHandler(405, failures);
    return new RouterServer(result(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")));
  }

  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    result(server.close());
  }
}
