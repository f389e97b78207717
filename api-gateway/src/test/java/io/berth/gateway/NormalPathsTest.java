package io.berth.gateway;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.RawHttp;
import io.berth.gateway.routes.BlobFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway as wired, with authentication: a path not in normal form is refused before any route or access check
 * sees it (so no challenge, whoever asks), the probes included; the probes still answer their own paths.
 */
@ExtendWith(VertxExtension.class)
class NormalPathsTest {
  private static int port;

  @BeforeAll
  static void start(Vertx vertx, @TempDir Path root) throws Exception {
    Path users = Files.writeString(root.resolve("htpasswd"), "");
    RegistryConfig config = result(ConfigLoader.load(vertx, null, Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:0",
        "REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString(),
        "REGISTRY_AUTH_HTPASSWD_REALM", "berth-test", "REGISTRY_AUTH_HTPASSWD_PATH", users.toString())));
    GatewayVerticle gateway = new GatewayVerticle(config, BlobFiles.SAME_PROCESS);
    result(vertx.deployVerticle(gateway));
    port = gateway.port();
  }

  private static String errorCode(RawHttp.Response response) {
    return new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0).getString("code");
  }

  @ParameterizedTest
  @ValueSource(strings = {"//v2/", "/./v2/a/tags/list", "/x/../v2/a/blobs/uploads/", "/%762/a/manifests/latest",
      "//v2/a/blobs/uploads/..%2F..%2Fb"})
  void aPathIntoV2NotInNormalFormIsNameInvalidBeforeAnyChallenge(String path) {
    RawHttp.Response response = RawHttp.send(port, "GET", path);

    assertEquals(400, response.status(), response::body);
    assertEquals("NAME_INVALID", errorCode(response));
    assertEquals(null, response.header("WWW-Authenticate"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"//livez", "/./livez", "/x/../livez", "/%6civez", "//readyz", "/livez/."})
  void aProbePathNotInNormalFormIsNotFound(String path) {
    RawHttp.Response response = RawHttp.send(port, "GET", path);

    assertEquals(404, response.status(), response::body);
    assertEquals("NOT_FOUND", errorCode(response));
  }

  @Test
  void theLivenessProbeAnswersItsOwnPath() {
    RawHttp.Response response = RawHttp.send(port, "GET", "/livez");

    assertEquals(200, response.status());
    assertEquals("ok\n", response.body());
  }
}
