package io.berth.gateway.auth;

import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.GatewayVerticle;
import io.berth.gateway.routes.BlobFiles;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway verticle on 127.0.0.1 and a free port, configured from a YAML file with the given {@code auth}
 * section, in front of {@link StubServices}; its own Vert.x, closed with it.
 */
final class RunningGateway implements AutoCloseable {
  private final Vertx vertx;
  private final WebClient client;
  private final RegistryConfig registry;
  private final Metrics metrics;
  private final int port;

  private RunningGateway(Vertx vertx, WebClient client, RegistryConfig registry, Metrics metrics, int port) {
    this.vertx = vertx;
    this.client = client;
    this.registry = registry;
    this.metrics = metrics;
    this.port = port;
  }

  /** {@code authSection} is YAML for the {@code auth:} key, indented as under it; empty for no auth. */
  static RunningGateway start(Path directory, String authSection) throws Exception {
    return start(directory, authSection, "", Metrics.disabled());
  }

  /** {@code httpKeys}: more YAML under {@code http:}, indented as under it (the address is set already). */
  static RunningGateway start(Path directory, String authSection, String httpKeys) throws Exception {
    return start(directory, authSection, httpKeys, Metrics.disabled());
  }

  /** The same, recording into {@code metrics}. */
  static RunningGateway start(Path directory, String authSection, Metrics metrics) throws Exception {
    return start(directory, authSection, "", metrics);
  }

  static RunningGateway start(Path directory, String authSection, String httpKeys, Metrics metrics) throws Exception {
    Path config = directory.resolve("config.yml");
    Files.writeString(config, "version: 0.1\n"
        + "storage:\n  filesystem:\n    rootdirectory: " + directory.resolve("data") + "\n"
        + "http:\n  addr: 127.0.0.1:0\n" + httpKeys
        + (authSection.isEmpty() ? "" : "auth:\n" + authSection));
    Vertx vertx = Vertx.vertx();
    try {
      RegistryConfig registry = ConfigLoader.load(vertx, config.toString(), Map.of()).await(10, TimeUnit.SECONDS);
      StubServices.register(vertx, directory.resolve("blob"));
      GatewayVerticle gateway = new GatewayVerticle(registry, BlobFiles.SAME_PROCESS, metrics);
      vertx.deployVerticle(gateway).await(10, TimeUnit.SECONDS);
      WebClient client = WebClient.create(vertx, new WebClientOptions()
          .setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()).setFollowRedirects(false));
      return new RunningGateway(vertx, client, registry, metrics, gateway.port());
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The port it listens on, for requests no HTTP client would write. */
  int port() {
    return port;
  }

  /** Another gateway verticle in the same Vert.x, as a process runs several, on a port of its own. */
  int deployAnother() throws Exception {
    GatewayVerticle gateway = new GatewayVerticle(registry, BlobFiles.SAME_PROCESS, metrics);
    vertx.deployVerticle(gateway).await(10, TimeUnit.SECONDS);
    return gateway.port();
  }

  /** A client whose connections to {@code port} come from {@code localAddress}, any address of 127.0.0.0/8. */
  WebClient clientFrom(String localAddress, int port) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setLocalAddress(localAddress).setFollowRedirects(false));
  }

  HttpRequest<Buffer> request(HttpMethod method, String path) {
    return client.request(method, path);
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request) throws Exception {
    return request.send().await(10, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> send(HttpRequest<Buffer> request, Buffer body) throws Exception {
    return request.sendBuffer(body).await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
