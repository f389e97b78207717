package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.FaultyTcpProxy;
import io.berth.common.testing.FaultyTcpProxy.Fault;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Berth on S3 that fails for real (S3Proxy behind a proxy that refuses, resets, stalls or sheds load): every route
 * answers 503 {@code UNAVAILABLE} with {@code Retry-After}, within the call timeout; what failed left nothing visible
 * once S3 is back; and a streamed download that S3 cuts mid-body is cut for the client too, never ended short.
 */
class S3FaultsEndToEndTest {
  private static final String REPO = "faults/app";
  private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(1_500);

  @S3Server
  private static S3TestServer server;
  private FaultyTcpProxy proxy;
  private RunningRegistry berth;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startS3() throws Exception {
    // The first S3 calls of a JVM (class loading, S3Proxy's first request) do not fit the short timeout used here.
    try (RunningRegistry warmUp = RunningRegistry.startOnDriver(s3(server.endpoint(), Map.of()))) {
      assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(warmUp.baseUrl()
          + "/v2/_catalog")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }
  }

  private static Map<String, String> s3(URI endpoint, Map<String, String> more) {
    Map<String, String> environment = S3TestServer.registryEnvironment(endpoint, server.newBucket());
    environment.putAll(more);
    return environment;
  }

  @BeforeEach
  void startBerth() throws Exception {
    proxy = FaultyTcpProxy.to(server.endpoint());
    berth = RunningRegistry.startOnDriver(s3(proxy.endpoint(), Map.of(
        "REGISTRY_STORAGE_S3_CALLTIMEOUT", CALL_TIMEOUT.toMillis() + "ms",
        "REGISTRY_STORAGE_REDIRECT_DISABLE", "true")));
  }

  @AfterEach
  void stop() throws Exception {
    berth.close();
    proxy.close();
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"REFUSE", "RESET", "SLOW_DOWN", "STALL"})
  void everyRouteAnswersUnavailableAndWhatFailedLeavesNothing(Fault fault) throws Exception {
    byte[] layer = "layer bytes".getBytes(StandardCharsets.UTF_8);
    String layerDigest = push(layer, "v1");
    URI session = startUpload();
    byte[] other = "another layer".getBytes(StandardCharsets.UTF_8);
    byte[] manifest = manifest(layerDigest, layer.length);
    proxy.fault(fault);

    String blob = "/v2/" + REPO + "/blobs/" + layerDigest;
    assertUnavailable(send("HEAD", blob, null));
    assertUnavailable(send("GET", blob, null));
    assertUnavailable(send("GET", "/v2/" + REPO + "/manifests/v1", null));
    assertUnavailable(send("PUT", "/v2/" + REPO + "/manifests/v2", manifest));
    assertUnavailable(send("GET", "/v2/" + REPO + "/tags/list", null));
    assertUnavailable(send("GET", "/v2/_catalog", null));
    assertUnavailable(send("POST", "/v2/" + REPO + "/blobs/uploads/", null));
    assertUnavailable(send("PATCH", session.getRawPath(), other));
    assertUnavailable(send("PUT", session.getRawPath() + "?digest=" + digest(other), other));
    assertUnavailable(send("DELETE", "/v2/" + REPO + "/manifests/" + digest(manifest), null));

    proxy.fault(Fault.NONE);
    assertEquals(404, send("GET", "/v2/" + REPO + "/manifests/v2", null).statusCode(), "no tag of the failed PUT");
    assertEquals(404, send("HEAD", "/v2/" + REPO + "/blobs/" + digest(other), null).statusCode(),
        "no blob of the failed commit");
    assertEquals(new JsonArray().add("v1"),
        new JsonObject(send("GET", "/v2/" + REPO + "/tags/list", null).body()).getJsonArray("tags"));
    assertEquals(200, send("GET", "/v2/" + REPO + "/manifests/v1", null).statusCode(), "the delete did not happen");
  }

  @Test
  void aStreamedDownloadThatS3CutsIsCutForTheClientNotEndedShort() throws Exception {
    byte[] layer = TestBytes.random(24 << 20, 11).getBytes();
    String digest = push(layer, "big");

    try (Socket socket = new Socket("127.0.0.1", berth.port())) {
      socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(("GET /v2/" + REPO + "/blobs/" + digest + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      assertTrue(head.toLowerCase().contains("content-length: " + layer.length), head);
      long received = in.readNBytes(64 * 1024).length;

      proxy.fault(Fault.RESET);
      byte[] buffer = new byte[64 * 1024];
      try {
        int read;
        while ((read = in.read(buffer)) >= 0) {
          received += read;
        }
      } catch (java.net.SocketException reset) {
        // the registry reset the connection: as good as its close
      }
      assertTrue(received < layer.length, "the client got " + received + " of " + layer.length + " bytes");
    }
  }

  private static String readHead(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertFalse(b < 0, "connection closed in the head: " + head);
      head.append((char) b);
    }
    return head.toString();
  }

  private void assertUnavailable(HttpResponse<String> response) {
    String what = response.request().method() + " " + response.request().uri().getPath();
    assertEquals(503, response.statusCode(), () -> what + ": " + response.body());
    assertEquals("1", response.headers().firstValue("Retry-After").orElse(null), what);
    if (!response.request().method().equals("HEAD")) {
      assertEquals("UNAVAILABLE", new JsonObject(response.body()).getJsonArray("errors").getJsonObject(0)
          .getString("code"), what);
    }
  }

  /** Pushes a layer, a config and a manifest tagged {@code tag}; answers the layer's digest. */
  private String push(byte[] layer, String tag) throws Exception {
    String layerDigest = upload(layer);
    byte[] manifest = manifest(layerDigest, layer.length);
    HttpResponse<String> put = send("PUT", "/v2/" + REPO + "/manifests/" + tag, manifest);
    assertEquals(201, put.statusCode(), put.body());
    return layerDigest;
  }

  private byte[] manifest(String layerDigest, int layerSize) throws Exception {
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = upload(config);
    return new JsonObject().put("schemaVersion", 2).put("mediaType", MANIFEST_TYPE)
        .put("config", new JsonObject().put("mediaType", "application/vnd.oci.image.config.v1+json")
            .put("digest", configDigest).put("size", config.length))
        .put("layers", new JsonArray().add(new JsonObject().put("mediaType",
            "application/vnd.oci.image.layer.v1.tar").put("digest", layerDigest).put("size", layerSize)))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  private String upload(byte[] content) throws Exception {
    String digest = digest(content);
    HttpResponse<String> posted = send("POST", "/v2/" + REPO + "/blobs/uploads/?digest=" + digest, content);
    assertEquals(201, posted.statusCode(), posted.body());
    return digest;
  }

  private URI startUpload() throws Exception {
    HttpResponse<String> started = send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
    assertEquals(202, started.statusCode(), started.body());
    return URI.create(berth.baseUrl()).resolve(started.headers().firstValue("Location").orElseThrow());
  }

  private HttpResponse<String> send(String method, String target, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(berth.baseUrl() + target))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (method.equals("PUT") && target.contains("/manifests/")) {
      request.header("Content-Type", MANIFEST_TYPE);
    } else if (body != null) {
      request.header("Content-Type", "application/octet-stream");
    }
    request.header("Accept", MANIFEST_TYPE);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String digest(byte[] content) throws Exception {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
