package io.berth.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.BlobVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.storage.s3.S3StorageDriver;
import io.berth.common.testing.OpenFiles;
import io.berth.common.testing.Polling;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.berth.gateway.GatewayVerticle;
import io.berth.gateway.routes.BlobFiles;
import io.berth.launcher.RunningRegistry;
import io.berth.manifest.ManifestVerticle;
import io.berth.manifest.store.ManifestCache;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The storage readers of the blob service close on every path: reads that end, downloads the client cuts short,
 * and the resume of an upload by another blob service (the rehash of its bytes on a file system, its saved hash state
 * on S3). The registry runs in this process, so its descriptors are this process's {@code /proc/self/fd}; the gateway
 * may not send files itself (nor redirect to S3), so every read goes through the driver's reader. On S3 (S3Proxy),
 * the connections the S3 client's pool has leased are counted too ({@link S3StorageDriver#leasedConnections}): a
 * stream that kept one would exhaust the pool.
 */
@EnabledOnOs(OS.LINUX)
class OpenDescriptorsTest {
  private static final String REPO = "fd/app";
  /** Descriptors the JDK and Vert.x may open lazily on the way (a selector, a jar): a constant, not per request. */
  private static final int SLACK = 16;

  @S3Server
  private static S3TestServer s3;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  /** The storage root on a file system; null on S3. */
  private Path root;
  private Vertx vertx;
  private RegistryConfig config;
  /** A driver of the registry's S3 configuration, so on its client and pool, to count leased connections with. */
  private S3StorageDriver leases;
  private String blobDeployment;
  private int port;

  private void start(String storage) throws Exception {
    vertx = Vertx.vertx();
    if (storage.equals("s3")) {
      Map<String, String> environment = s3.registryEnvironment(s3.newBucket());
      environment.put("REGISTRY_STORAGE_REDIRECT_DISABLE", "true");
      config = RunningRegistry.configOnDriver(vertx, environment);
      leases = S3StorageDriver.open(vertx, config.storage().s3());
    } else {
      root = Files.createTempDirectory("berth-fd");
      config = RunningRegistry.config(vertx, root, Map.of());
    }
    GatewayVerticle gateway = new GatewayVerticle(config, BlobFiles.NEVER);
    vertx.deployVerticle(new ManifestVerticle(config, new ManifestCache())).await(30, TimeUnit.SECONDS);
    deployBlobService();
    vertx.deployVerticle(gateway).await(30, TimeUnit.SECONDS);
    port = gateway.port();
  }

  /** A blob service with a session table of its own: a new process, as far as upload sessions go. */
  private void deployBlobService() throws Exception {
    blobDeployment = vertx.deployVerticle(new BlobVerticle(config, new UploadSessions(Metrics.disabled(),
        config.storage().s3() != null))).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (leases != null) {
      leases.close();
    }
    vertx.close().await(30, TimeUnit.SECONDS);
    if (root != null) {
      RunningRegistry.deleteTree(root);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"filesystem", "s3"})
  void aThousandReadsOverTheBusLeaveNoFileOpen(String storage) throws Exception {
    start(storage);
    byte[] blob = TestBytes.random(300_000, 1).getBytes();
    String digest = push(blob);
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(blob, get(digest));
    }
    Descriptors before = descriptors();

    for (int i = 0; i < 1_000; i++) {
      assertArrayEquals(blob, get(digest));
    }

    assertNoGrowth(before, 1_000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"filesystem", "s3"})
  void downloadsTheClientAbandonsMidBodyLeaveNoFileOpen(String storage) throws Exception {
    start(storage);
    byte[] blob = TestBytes.random(8 * 1024 * 1024, 2).getBytes();
    String digest = push(blob);
    abandonDownload(digest);
    Descriptors before = descriptors();

    for (int i = 0; i < 200; i++) {
      abandonDownload(digest);
    }

    assertNoGrowth(before, 200);
    assertArrayEquals(blob, get(digest));
  }

  @ParameterizedTest
  @ValueSource(strings = {"filesystem", "s3"})
  void uploadsResumedByAnotherBlobServiceLeaveNoFileOpen(String storage) throws Exception {
    start(storage);
    int sessions = 200;
    byte[] first = TestBytes.random(100_000, 3).getBytes();
    byte[] second = TestBytes.random(50_000, 4).getBytes();
    List<String> locations = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      locations.add(patch(startUpload(), 0, first));
    }
    vertx.undeploy(blobDeployment).await(30, TimeUnit.SECONDS);
    deployBlobService();
    Descriptors before = descriptors();

    for (String location : locations) {
      patch(location, first.length, second);
    }

    assertNoGrowth(before, sessions);
  }

  /**
   * Waits for what the last operations held to be let go (a release may trail the response by a moment), asking
   * again until it is or the wait runs out; then asserts.
   */
  private void assertNoGrowth(Descriptors before, int operations) throws Exception {
    Descriptors last = Polling.until(this::descriptors, after -> after.within(before, SLACK), Duration.ofMillis(100),
        Duration.ofSeconds(20));
    assertEquals(0, last.rootFiles.size(), () -> last.rootFiles.size() + " files under the storage root still open "
        + "after " + operations + " operations, e.g. " + last.rootFiles.subList(0, Math.min(3, last.rootFiles.size())));
    assertTrue(last.total <= before.total + SLACK,
        () -> "open descriptors grew from " + before.total + " to " + last.total + " over " + operations + " operations");
    assertTrue(last.leased <= before.leased, () -> "leased S3 connections grew from " + before.leased + " to "
        + last.leased + " over " + operations + " operations");
  }

  private Descriptors descriptors() throws Exception {
    long leased = leases == null ? 0
        : leases.leasedConnections().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new Descriptors(OpenFiles.total(), root == null ? List.of() : OpenFiles.under(root), leased);
  }

  /**
   * This process's open descriptors: how many, the files under the storage root among them, and the connections the
   * S3 client's pool has leased (none on a file system).
   */
  private record Descriptors(long total, List<Path> rootFiles, long leased) {
    boolean within(Descriptors before, int slack) {
      return rootFiles.isEmpty() && total <= before.total + slack && leased <= before.leased;
    }
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private HttpResponse<byte[]> send(String method, String target, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.startsWith("http") ? target : url(target)))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String startUpload() throws Exception {
    HttpResponse<byte[]> started = send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
    assertEquals(202, started.statusCode());
    return started.headers().firstValue("Location").orElseThrow();
  }

  private String patch(String location, long offset, byte[] chunk) throws Exception {
    HttpResponse<byte[]> patched = send("PATCH", location, chunk, "Content-Type", "application/octet-stream",
        "Content-Range", offset + "-" + (offset + chunk.length - 1));
    assertEquals(202, patched.statusCode(), () -> new String(patched.body(), StandardCharsets.UTF_8));
    return patched.headers().firstValue("Location").orElseThrow();
  }

  private String push(byte[] blob) throws Exception {
    String digest = TestBytes.sha256(io.vertx.core.buffer.Buffer.buffer(blob)).toString();
    String location = startUpload();
    HttpResponse<byte[]> put = send("PUT", location + (location.contains("?") ? "&" : "?") + "digest=" + digest, blob,
        "Content-Type", "application/octet-stream");
    assertEquals(201, put.statusCode());
    return digest;
  }

  private byte[] get(String digest) throws Exception {
    HttpResponse<byte[]> response = send("GET", "/v2/" + REPO + "/blobs/" + digest, null);
    assertEquals(200, response.statusCode());
    return response.body();
  }

  /** Reads the head and the first bytes of the body, then hangs up. */
  private void abandonDownload(String digest) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /v2/" + REPO + "/blobs/" + digest + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[64 * 1024];
      int read = in.readNBytes(buffer, 0, buffer.length);
      String head = new String(Arrays.copyOf(buffer, Math.min(read, 12)), StandardCharsets.ISO_8859_1);
      assertEquals("HTTP/1.1 200", head);
    }
  }
}
