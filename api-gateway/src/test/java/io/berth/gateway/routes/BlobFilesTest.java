package io.berth.gateway.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.bus.ChunkSender;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.BlobReadRequest;
import io.berth.common.bus.message.BlobRequest;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the gateway takes a blob's bytes from. A stand-in blob service names a file for the blob and streams
 * different bytes of the same length over the bus, so the body tells which way they came.
 */
class BlobFilesTest {
  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String FROM_FILE = "bytes from the file";
  private static final String FROM_BUS = "bytes over the bus!";

  @TempDir
  Path temp;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aGatewayBesideTheBlobServiceSendsTheNamedFile() throws Exception {
    assertEquals(FROM_FILE, get(BlobFiles.SAME_PROCESS, file(FROM_FILE)));
  }

  @Test
  void aGatewayThatSeesAFileOfTheBlobsSizeAtTheNamedPathSendsIt() throws Exception {
    assertEquals(FROM_FILE, get(BlobFiles.IF_VISIBLE, file(FROM_FILE)));
  }

  @Test
  void aGatewayThatSeesNoFileAtTheNamedPathStreamsTheBlobOverTheBus() throws Exception {
    assertEquals(FROM_BUS, get(BlobFiles.IF_VISIBLE, temp.resolve("elsewhere/data")));
  }

  @Test
  void aGatewayThatSeesAFileOfAnotherSizeAtTheNamedPathStreamsTheBlobOverTheBus() throws Exception {
    assertEquals(FROM_BUS, get(BlobFiles.IF_VISIBLE, file(FROM_FILE + " and more")));
  }

  @Test
  void aGatewayNeverSendingFilesStreamsTheBlobOverTheBus() throws Exception {
    assertEquals(FROM_BUS, get(BlobFiles.NEVER, file(FROM_FILE)));
  }

  private Path file(String content) throws Exception {
    Path file = temp.resolve("data");
    Files.writeString(file, content);
    return file;
  }

  private String get(BlobFiles blobFiles, Path named) throws Exception {
    BusConsumers.register(vertx.eventBus(), Addresses.BLOB_STAT, json -> Future.succeededFuture(
        new BlobInfo(BlobRequest.fromJson(json).digest(), FROM_BUS.length(), named.toString()).toJson()));
    BusConsumers.register(vertx.eventBus(), Addresses.BLOB_READ, json -> {
      BlobReadRequest request = BlobReadRequest.fromJson(json);
      ChunkSender sender = new ChunkSender(vertx.eventBus(), request.address());
      sender.write(Buffer.buffer(FROM_BUS)).compose(v -> sender.end());
      return Future.succeededFuture(new JsonObject());
    });
    RegistryConfig config = ConfigLoader.load(vertx, null, Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:0",
        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", temp.resolve("root").toString())).await(10, TimeUnit.SECONDS);
    GatewayVerticle gateway = new GatewayVerticle(config, blobFiles, Metrics.disabled());
    vertx.deployVerticle(gateway).await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> response = WebClient.create(vertx).get(gateway.port(), "127.0.0.1",
        "/v2/app/blobs/" + DIGEST).send().await(10, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response::bodyAsString);
    return response.bodyAsString();
  }
}
