package io.berth.launcher.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.BlobVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.OpenFiles;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The storage readers of the blob service close on every path: reads that end, downloads the client cuts short,
 * and the rehash of a resumed upload. The registry runs in this process, so its descriptors are this process's
 * {@code /proc/self/fd}; the gateway may not send files itself, so every read goes through the driver's reader.
 */
@EnabledOnOs(OS.LINUX)
class OpenDescriptorsTest {
  private static final String REPO = "fd/app";
  /** Descriptors the JDK and Vert.x may open lazily on the way (a selector, a jar): a constant, not per request. */
  private static final int SLACK = 16;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Path root;
  private Vertx vertx;
  private RegistryConfig config;
  private String blobDeployment;
  private int port;

  @BeforeEach
  void start() throws Exception {
    root = Files.createTempDirectory("berth-fd");
    vertx = Vertx.vertx();
    config = RunningRegistry.config(vertx, root, Map.of());
    GatewayVerticle gateway = new GatewayVerticle(config, BlobFiles.NEVER);
    vertx.deployVerticle(new ManifestVerticle(config, new ManifestCache())).await(30, TimeUnit.SECONDS);
    deployBlobService();
    vertx.deployVerticle(gateway).await(30, TimeUnit.SECONDS);
    port = gateway.port();
  }

  /** A blob service with a session table of its own: a new process, as far as upload sessions go. */
  private void deployBlobService() throws Exception {
    blobDeployment = vertx.deployVerticle(new BlobVerticle(config, new UploadSessions())).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
    RunningRegistry.deleteTree(root);
  }

  @Test
  void aThousandReadsOverTheBusLeaveNoFileOpen() throws Exception {
    byte[] blob = TestBytes.random(300_000, 1).getBytes();
    String digest = push(blob);
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(blob, get(digest));
    }
    Descriptors before = Descriptors.now(root);

    for (int i = 0; i < 1_000; i++) {
      assertArrayEquals(blob, get(digest));
    }

    assertNoGrowth(before, 1_000);
  }

  @Test
  void downloadsTheClientAbandonsMidBodyLeaveNoFileOpen() throws Exception {
    byte[] blob = TestBytes.random(8 * 1024 * 1024, 2).getBytes();
    String digest = push(blob);
    abandonDownload(digest);
    Descriptors before = Descriptors.now(root);

    for (int i = 0; i < 200; i++) {
      abandonDownload(digest);
    }

    assertNoGrowth(before, 200);
    assertArrayEquals(blob, get(digest));
  }

  @Test
  void uploadsResumedByAnotherBlobServiceLeaveNoFileOpen() throws Exception {
    int sessions = 200;
    byte[] first = TestBytes.random(100_000, 3).getBytes();
    byte[] second = TestBytes.random(50_000, 4).getBytes();
    List<String> locations = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      locations.add(patch(startUpload(), 0, first));
    }
    vertx.undeploy(blobDeployment).await(30, TimeUnit.SECONDS);
    deployBlobService();
    Descriptors before = Descriptors.now(root);

    for (String location : locations) {
      patch(location, first.length, second);
    }

    assertNoGrowth(before, sessions);
  }

  private void assertNoGrowth(Descriptors before, int operations) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Descriptors after = Descriptors.now(root);
    while (!after.within(before, SLACK) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      after = Descriptors.now(root);
    }
    Descriptors last = after;
    assertEquals(0, last.rootFiles.size(), () -> last.rootFiles.size() + " files under the storage root still open "
        + "after " + operations + " operations, e.g. " + last.rootFiles.subList(0, Math.min(3, last.rootFiles.size())));
    assertTrue(last.total <= before.total + SLACK,
        () -> "open descriptors grew from " + before.total + " to " + last.total + " over " + operations + " operations");
  }

  /** This process's open descriptors: how many, and the files under the storage root among them. */
  private record Descriptors(long total, List<Path> rootFiles) {
    static Descriptors now(Path root) {
      return new Descriptors(OpenFiles.total(), OpenFiles.under(root));
    }

    boolean within(Descriptors before, int slack) {
      return rootFiles.isEmpty() && total <= before.total + slack;
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
