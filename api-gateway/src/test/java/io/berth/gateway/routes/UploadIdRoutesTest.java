package io.berth.gateway.routes;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusConsumers;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.RawHttp;
import io.berth.gateway.GatewayVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway refuses an upload URL whose id is no upload id, as distribution answers for a session it does not know
 * (404 BLOB_UPLOAD_UNKNOWN), before anything reaches the blob service.
 */
@ExtendWith(VertxExtension.class)
class UploadIdRoutesTest {
  private static final List<JsonObject> RECEIVED = new CopyOnWriteArrayList<>();
  private static int port;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path root) throws Exception {
    for (String address : List.of(Addresses.UPLOAD_STATUS, Addresses.UPLOAD_CANCEL, Addresses.UPLOAD_WRITE)) {
      BusConsumers.register(vertx.eventBus(), address, body -> {
        RECEIVED.add(body);
        return Future.succeededFuture(new JsonObject().put("uuid", body.getString("uuid")).put("offset", 0L));
      });
    }
    RegistryConfig config = result(ConfigLoader.load(vertx, null, Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:0",
        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString())));
    GatewayVerticle gateway = new GatewayVerticle(config, BlobFiles.SAME_PROCESS);
    result(vertx.deployVerticle(gateway));
    port = gateway.port();
  }

  @BeforeEach
  void forget() {
    RECEIVED.clear();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-an-id", "4F1E8C52-0000-4000-8000-0123456789AB", "4f1e8c52-0000-4000-8000-0123456789a",
      "4f1e8c52-0000-4000-8000-0123456789abc", "4f1e8c520000-4000-8000-0123456789ab-", "4f1e8c52+0000-4000"})
  void anIdThatIsNoUploadIdIsUnknownToEverySessionOperation(String id) {
    String session = "/v2/team/app/blobs/uploads/" + id;
    for (RawHttp.Response response : List.of(
        RawHttp.send(port, "GET", session),
        RawHttp.send(port, "PATCH", session, new byte[] {1, 2, 3}),
        RawHttp.send(port, "PUT", session + "?digest=sha256:" + "a".repeat(64), new byte[0]),
        RawHttp.send(port, "DELETE", session))) {
      assertEquals(404, response.status(), response::body);
      JsonObject error = new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0);
      assertEquals("BLOB_UPLOAD_UNKNOWN", error.getString("code"));
      assertTrue(error.getString("message").contains("not an upload id"), error::encode);
    }
    assertEquals(List.of(), RECEIVED);
  }

  /** distribution's ids are version-4 UUIDs; Berth's version 8: both reach the blob service. */
  @Test
  void distributionsAndBerthsIdsReachTheBlobService() {
    for (String id : List.of("4f1e8c52-9d3a-4b7e-8f00-0123456789ab", "4f1e8c52-9d3a-8b7e-9f00-0123456789ab")) {
      RawHttp.Response response = RawHttp.send(port, "GET", "/v2/team/app/blobs/uploads/" + id);

      assertEquals(204, response.status(), response::body);
      assertEquals(id, response.header("Docker-Upload-UUID"));
    }
    assertEquals(2, RECEIVED.size());
  }
}
