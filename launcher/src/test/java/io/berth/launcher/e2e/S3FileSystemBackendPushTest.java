package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push and a pull through Berth on S3Proxy's file system backend ({@code jclouds.provider=filesystem}): the push's
 * final PUT used to wait forever on the delete of the finished upload's directory, which that backend never answers.
 */
class S3FileSystemBackendPushTest {
  private static final String REPO = "fsbackend/app";
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir
  Path directory;
  private String base;

  @Test
  void aChunkedPushIsServedBack() throws Exception {
    try (S3TestServer server = S3TestServer.startOnFileSystem(directory);
        RunningRegistry berth = RunningRegistry.startOnDriver(environment(server))) {
      base = berth.baseUrl();
      byte[] layer = TestBytes.random((6 << 20) + 1234, 5).getBytes();
      String layerDigest = digest(layer);
      HttpResponse<String> started = send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
      assertEquals(202, started.statusCode(), started.body());
      String session = started.headers().firstValue("Location").orElseThrow();
      HttpResponse<String> patched = send("PATCH", session, Arrays.copyOfRange(layer, 0, 5 << 20));
      assertEquals(202, patched.statusCode(), patched.body());
      session = patched.headers().firstValue("Location").orElseThrow();
      HttpResponse<String> committed = send("PUT", session + (session.contains("?") ? "&" : "?") + "digest="
          + layerDigest, Arrays.copyOfRange(layer, 5 << 20, layer.length));
      assertEquals(201, committed.statusCode(), committed.body());
      byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> configPut = send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + digest(config), config);
      assertEquals(201, configPut.statusCode(), configPut.body());
      byte[] manifest = new JsonObject().put("schemaVersion", 2).put("mediaType", MANIFEST_TYPE)
          .put("config", new JsonObject().put("mediaType", "application/vnd.oci.image.config.v1+json")
              .put("digest", digest(config)).put("size", config.length))
          .put("layers", new JsonArray().add(new JsonObject().put("mediaType", "application/vnd.oci.image.layer.v1.tar")
              .put("digest", layerDigest).put("size", layer.length)))
          .encode().getBytes(StandardCharsets.UTF_8);

      HttpResponse<String> put = send("PUT", "/v2/" + REPO + "/manifests/v1", manifest);

      assertEquals(201, put.statusCode(), put.body());
      assertEquals(new String(manifest, StandardCharsets.UTF_8), send("GET", "/v2/" + REPO + "/manifests/v1", null)
          .body());
      HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + REPO + "/blobs/"
          + layerDigest)).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, blob.statusCode());
      assertArrayEquals(layer, blob.body());
    }
  }

  private static Map<String, String> environment(S3TestServer server) {
    Map<String, String> environment = server.registryEnvironment(server.newBucket());
    environment.put("REGISTRY_STORAGE_S3_CHUNKSIZE", Long.toString(5 << 20));
    environment.put("REGISTRY_STORAGE_REDIRECT_DISABLE", "true");
    return environment;
  }

  private HttpResponse<String> send(String method, String target, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base).resolve(target))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Accept", MANIFEST_TYPE);
    if (body != null) {
      request.header("Content-Type", target.contains("/manifests/") ? MANIFEST_TYPE : "application/octet-stream");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String digest(byte[] content) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
