package io.berth.launcher.scaleout;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.blob.BlobVerticle;
import io.berth.blob.upload.UploadSessions;
import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.UploadIds;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.config.RegistryConfig;
import io.berth.common.event.RequestInfo;
import io.berth.common.metrics.Metrics;
import io.berth.common.oci.UploadId;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.berth.gateway.GatewayVerticle;
import io.berth.gateway.routes.BlobFiles;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.berth.common.testing.Polling;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two blob-service "processes" (a BlobVerticle each, with its own session table and meters) and a gateway on one
 * Vert.x over one storage, driven over HTTP: a session's requests go to the process that opened it; one that landed
 * elsewhere meanwhile does not leave that process answering from stale state; and when that process goes away
 * mid-session the other one finishes the upload. Each test runs on a storage directory and on an S3 bucket, where an
 * upload taken over resumes from the multipart upload and the hash state saved under {@code _uploads/<id>/}.
 */
class TwoBlobProcessesUploadTest {
  private static final String REPO = "team/app";
  private static final Buffer FIRST = TestBytes.random(600_000, 31);
  private static final Buffer SECOND = TestBytes.random(333_333, 32);
  private static final Buffer LAST = TestBytes.random(100_000, 33);
  private static final Buffer WHOLE = Buffer.buffer().appendBuffer(FIRST).appendBuffer(SECOND).appendBuffer(LAST);
  private static final String DIGEST = TestBytes.sha256(WHOLE).toString();

  @TempDir
  Path root;
  @S3Server
  private static S3TestServer s3;
  private Vertx vertx;
  private final HttpClient http = HttpClient.newHttpClient();
  private String base;
  private RegistryConfig config;
  private int port;
  private Process a;
  private Process b;

  /**
   * One blob-service process: its sessions (saving hash states on S3, as BlobService makes them), the meters that
   * show which sessions it holds, its deployment.
   */
  private static final class Process {
    private final Metrics metrics = Metrics.prometheus();
    private final UploadSessions sessions;
    private String deployment;

    Process(Storage storage) {
      sessions = new UploadSessions(metrics, storage == Storage.S3);
    }

    double held() {
      return metrics.registry().find("berth.upload.sessions.active").gauge().value();
    }
  }

  /** What the two processes share. */
  enum Storage {
    DIRECTORY, S3
  }

  private void deploy(Storage storage) throws Exception {
    vertx = Vertx.vertx();
    if (storage == Storage.DIRECTORY) {
      config = RunningRegistry.config(vertx, root, Map.of());
    } else {
      Map<String, String> environment = s3.registryEnvironment(s3.newBucket());
      // A blob read streams through the gateway instead of answering 307 to the bucket.
      environment.put("REGISTRY_STORAGE_REDIRECT_DISABLE", "true");
      config = RunningRegistry.configOnDriver(vertx, environment);
    }
    a = new Process(storage);
    b = new Process(storage);
    for (Process process : List.of(a, b)) {
      process.deployment = result(vertx.deployVerticle(new BlobVerticle(config, process.sessions, process.metrics)));
    }
    GatewayVerticle gateway = new GatewayVerticle(config, BlobFiles.SAME_PROCESS);
    result(vertx.deployVerticle(gateway));
    port = gateway.port();
    base = "http://127.0.0.1:" + port + "/v2/" + REPO + "/blobs/";
  }

  @AfterEach
  void closeVertx() {
    if (vertx != null) {
      result(vertx.close());
    }
  }

  private HttpResponse<byte[]> send(String method, String path, Buffer body, String contentRange) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body.getBytes()))
        .header("Content-Type", "application/octet-stream");
    if (contentRange != null) {
      request.header("Content-Range", contentRange);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private String start() throws Exception {
    HttpResponse<byte[]> started = send("POST", "uploads/", null, null);
    assertEquals(202, started.statusCode(), new String(started.body()));
    return started.headers().firstValue("Docker-Upload-UUID").orElseThrow();
  }

  private Process owner(String uuid) {
    String id = UploadIds.owner(UploadId.parse(uuid)).orElseThrow();
    return id.equals(a.sessions.id()) ? a : b;
  }

  private void patch(String uuid, long offset, Buffer chunk) throws Exception {
    HttpResponse<byte[]> patched = send("PATCH", "uploads/" + uuid, chunk,
        offset + "-" + (offset + chunk.length() - 1));
    assertEquals(202, patched.statusCode(), new String(patched.body()));
    assertEquals("0-" + (offset + chunk.length() - 1), patched.headers().firstValue("Range").orElseThrow());
  }

  /** The last chunk with the digest: the blob is stored and served back whole. */
  private void complete(String uuid, long offset) throws Exception {
    HttpResponse<byte[]> put = send("PUT", "uploads/" + uuid + "?digest=" + DIGEST, LAST,
        offset + "-" + (offset + LAST.length() - 1));
    assertEquals(201, put.statusCode(), new String(put.body()));
    assertEquals(DIGEST, put.headers().firstValue("Docker-Content-Digest").orElseThrow());
    HttpResponse<byte[]> pulled = send("GET", DIGEST, null, null);
    assertEquals(200, pulled.statusCode());
    assertArrayEquals(WHOLE.getBytes(), pulled.body());
  }

  private void assertOffset(String uuid, long offset) throws Exception {
    HttpResponse<byte[]> status = send("GET", "uploads/" + uuid, null, null);
    assertEquals(204, status.statusCode());
    assertEquals("0-" + (offset - 1), status.headers().firstValue("Range").orElseThrow());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void aChunkedUploadsRequestsAllGoToTheProcessThatOpenedItsSession(Storage storage) throws Exception {
    deploy(storage);
    String uuid = start();
    Process owner = owner(uuid);
    Process other = owner == a ? b : a;

    patch(uuid, 0, FIRST);
    patch(uuid, FIRST.length(), SECOND);
    assertOffset(uuid, FIRST.length() + SECOND.length());
    double heldByOwner = owner.held();
    double heldByOther = other.held();
    complete(uuid, FIRST.length() + SECOND.length());

    assertEquals(1, heldByOwner);
    assertEquals(0, heldByOther, "a request of the session reached the process that did not open it");
    assertEquals(0, owner.held());
  }

  /** A chunk that reached the other process (as when the owner was briefly unreachable) is not lost on the owner. */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void aChunkWrittenThroughTheOtherProcessIsSeenByTheOwnerWhenItCompletes(Storage storage) throws Exception {
    deploy(storage);
    String uuid = start();
    Process other = owner(uuid) == a ? b : a;
    patch(uuid, 0, FIRST);

    BusClient bus = new BusClient(vertx.eventBus());
    UploadRequest second = new UploadRequest(REPO, UploadId.parse(uuid), FIRST.length(), null);
    StreamOpened opened = StreamOpened.fromJson(result(bus.request(Addresses.uploadOwner(other.sessions.id()),
        Addresses.UPLOAD_WRITE, second.toJson(), RequestInfo.NONE)));
    UploadState afterSecond = UploadState.fromJson(result(ChunkStreams.send(vertx, opened.address(),
        List.of(SECOND))));

    assertEquals(new UploadState(UploadId.parse(uuid), FIRST.length() + SECOND.length()), afterSecond);
    assertOffset(uuid, FIRST.length() + SECOND.length());
    complete(uuid, FIRST.length() + SECOND.length());
  }

  @ParameterizedTest
  @EnumSource(Storage.class)
  void whenTheOwnerGoesAwayMidSessionTheOtherProcessFinishesTheUpload(Storage storage) throws Exception {
    deploy(storage);
    String uuid = start();
    Process owner = owner(uuid);
    Process other = owner == a ? b : a;
    patch(uuid, 0, FIRST);

    result(vertx.undeploy(owner.deployment));
    patch(uuid, FIRST.length(), SECOND);
    double heldByOther = other.held();
    complete(uuid, FIRST.length() + SECOND.length());

    assertEquals(1, heldByOther, "the other process did not take the session over");
  }

  /**
   * Once the owner is gone, a session's requests go round-robin to the processes left. Two PATCHes at once (one
   * paused by its client after its headers) reached two processes, each wrote the session from offset 0 and held the
   * digest of its own bytes, so a later PUT could commit one's bytes under the other's digest (review of S3 mode). One
   * of the two is refused now, and what is committed is what was accepted.
   */
  @ParameterizedTest
  @EnumSource(Storage.class)
  void twoPatchesAtOnceOnProcessesThatDidNotOpenTheSessionAreNotBothTaken(Storage storage) throws Exception {
    deploy(storage);
    String uuid = start();
    Process owner = owner(uuid);
    Process other = owner == a ? b : a;
    Process third = new Process(storage);
    third.deployment = result(vertx.deployVerticle(new BlobVerticle(config, third.sessions, third.metrics)));
    result(vertx.undeploy(owner.deployment));
    Buffer mine = TestBytes.random(FIRST.length(), 34);

    try (Socket paused = new Socket("127.0.0.1", port)) {
      OutputStream out = paused.getOutputStream();
      out.write(("PATCH /v2/" + REPO + "/blobs/uploads/" + uuid + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertEquals(1.0, Polling.until(() -> other.held() + third.held(), held -> held == 1.0, Duration.ofMillis(10),
          Duration.ofSeconds(10)));
      HttpResponse<byte[]> concurrent = send("PATCH", "uploads/" + uuid, FIRST, null);
      out.write((Integer.toHexString(mine.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(mine.getBytes());
      out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      int first = statusOf(paused.getInputStream());

      assertEquals(List.of(202, 400), List.of(first, concurrent.statusCode()).stream().sorted().toList(),
          "the two PATCHes answered " + first + " and " + concurrent.statusCode());
      Buffer taken = first == 202 ? mine : FIRST;
      String digest = TestBytes.sha256(taken).toString();
      HttpResponse<byte[]> put = send("PUT", "uploads/" + uuid + "?digest=" + digest, null, null);
      assertEquals(201, put.statusCode(), new String(put.body()));
      assertArrayEquals(taken.getBytes(), send("GET", digest, null, null).body());
    }
  }

  private static int statusOf(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    return Integer.parseInt(line.toString().split(" ")[1]);
  }
}
