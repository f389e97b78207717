package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.RawClient;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-in-one registry with a strict body rate (1 MiB/s over a 1 s window): an upload that stalls is closed and
 * leaves its session resumable with nothing committed, while a large upload at the speed of a real client completes.
 */
class SlowClientsTest {
  private static final String RATE = String.valueOf(1024 * 1024);

  @TempDir
  static Path root;
  private static RunningRegistry registry;
  private static RegistryHttp http;

  @BeforeAll
  static void start() throws Exception {
    registry = RunningRegistry.start(root, Map.of("REGISTRY_HTTP_TIMEOUTS_BODYMINRATE", RATE,
        "REGISTRY_HTTP_TIMEOUTS_BODYRATEWINDOW", "1s"));
    http = new RegistryHttp(registry.hostPort());
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  @Test
  void aStalledChunkIsClosedAndItsSessionResumesWithNothingCommitted() throws Exception {
    Buffer blob = TestBytes.random(1024 * 1024, 7);
    String digest = TestBytes.sha256(blob).toString();
    URI session = http.startUpload("slow/app");
    try (RawClient stalled = RawClient.connect(registry.port())) {
      stalled.write("PATCH " + session.getRawPath() + " HTTP/1.1\r\nHost: " + registry.hostPort() + "\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: " + blob.length() + "\r\n"
          + "Content-Range: 0-" + (blob.length() - 1) + "\r\n\r\n");
      stalled.write(blob.getBytes(0, 100));

      assertTrue(stalled.closedByServerWithin(Duration.ofSeconds(10)), "a stalled upload was never closed");
      assertTrue(stalled.sinceOpened().compareTo(Duration.ofSeconds(4)) < 0, "closed after " + stalled.sinceOpened());
    }

    assertEquals(404, http.head("/v2/slow/app/blobs/" + digest).statusCode(), "nothing may be committed");
    long stored = Files.size(dataFile(session));
    HttpResponse<String> status = http.send(HttpRequest.newBuilder(session).GET().build());
    assertEquals(204, status.statusCode(), status.body());
    assertEquals("0-" + Math.max(0, stored - 1), status.headers().firstValue("Range").orElseThrow());
    assertTrue(stored <= 100, "more bytes stored than were sent: " + stored);

    byte[] rest = Arrays.copyOfRange(blob.getBytes(), (int) stored, blob.length());
    HttpRequest resume = HttpRequest.newBuilder(session).header("Content-Type", "application/octet-stream")
        .header("Content-Range", stored + "-" + (blob.length() - 1))
        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(rest)).build();
    HttpResponse<String> resumed = untilNotBusy(resume, Duration.ofSeconds(10));
    assertEquals(202, resumed.statusCode(), resumed.body());
    URI next = URI.create(registry.baseUrl()).resolve(resumed.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> completed = http.send(HttpRequest.newBuilder(RegistryHttp.withDigest(next, digest))
        .PUT(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(201, completed.statusCode(), completed.body());
    assertArrayEquals(blob.getBytes(), http.get("/v2/slow/app/blobs/" + digest).body());
  }

  @Test
  void aLargeUploadAtNormalSpeedCompletesUnderAShortRateWindow() throws Exception {
    long size = 64L * 1024 * 1024;
    GeneratedStream bytes = new GeneratedStream(11, size);
    URI session = http.startUpload("large/app");
    HttpResponse<String> patched = http.send(HttpRequest.newBuilder(session)
        .header("Content-Type", "application/octet-stream")
        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> bytes),
            size)).build());
    assertEquals(202, patched.statusCode(), patched.body());
    String digest = bytes.digest();
    URI next = URI.create(registry.baseUrl()).resolve(patched.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> completed = http.send(HttpRequest.newBuilder(RegistryHttp.withDigest(next, digest))
        .PUT(HttpRequest.BodyPublishers.noBody()).build());
    assertEquals(201, completed.statusCode(), completed.body());
    HttpResponse<Void> stat = http.head("/v2/large/app/blobs/" + digest);
    assertEquals(200, stat.statusCode());
    assertEquals(digest, stat.headers().firstValue("Docker-Content-Digest").orElseThrow());
  }

  private static Path dataFile(URI session) {
    String path = session.getPath();
    String uuid = path.substring(path.lastIndexOf('/') + 1);
    return root.resolve("docker/registry/v2/repositories/slow/app/_uploads/" + uuid + "/data");
  }

  /**
   * The answer to {@code request}, sent again while the session is still held by the write the server just cut off
   * (its abort crosses the event bus, so it lands a moment after the client sees the close).
   */
  private static HttpResponse<String> untilNotBusy(HttpRequest request, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    HttpResponse<String> response = http.send(request);
    while (response.statusCode() == 400 && response.body().contains("another request is writing")
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
      response = http.send(request);
    }
    return response;
  }
}
