package io.berth.launcher.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.berth.common.testing.LogLines;
import io.berth.common.testing.TestBytes;
import io.berth.launcher.RunningRegistry;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A client that goes away in the middle of a blob download (a cancelled {@code docker pull}, a dropped network, a
 * client cut off by the idle timeout because it stopped reading) is no fault of the registry: before, each such
 * download wrote two ERROR lines with stacks ({@code request failed … internal error} and Vert.x's unhandled
 * connection exception), so anyone who may pull could fill the error log and set off error-rate alerts at will.
 */
class AbortedDownloadTest {
  private static final int BLOB_SIZE = 16 * 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String FAILURE_HANDLER = "io.berth.gateway.http.OciFailureHandler";
  private static final Logger FAILURES = (Logger) LoggerFactory.getLogger(FAILURE_HANDLER);

  @TempDir
  static Path root;
  private static RunningRegistry registry;
  private static String blobPath;

  @BeforeAll
  static void start() throws Exception {
    // The failure handler's line (debug when the client hung up) tells when the server has let go of a request.
    FAILURES.setLevel(Level.DEBUG);
    registry = RunningRegistry.start(root, Map.of("REGISTRY_HTTP_TIMEOUTS_IDLE", "1s"));
    Buffer blob = TestBytes.random(BLOB_SIZE, 3);
    String digest = TestBytes.sha256(blob).toString();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(registry.baseUrl()
        + "/v2/aborted/app/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, started.statusCode(), started.body());
    URI session = URI.create(registry.baseUrl()).resolve(started.headers().firstValue("Location").orElseThrow());
    URI complete = URI.create(session + (session.getQuery() == null ? "?" : "&") + "digest=" + digest);
    HttpResponse<String> pushed = http.send(HttpRequest.newBuilder(complete)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob.getBytes())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, pushed.statusCode(), pushed.body());
    blobPath = "/v2/aborted/app/blobs/" + digest;
  }

  @AfterAll
  static void stop() throws Exception {
    FAILURES.setLevel(null);
    registry.close();
  }

  @Test
  void aClientThatResetsTheConnectionMidDownloadLeavesNoError() throws Exception {
    try (LogLines errors = new LogLines(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.ERROR);
        LogLines failures = new LogLines(FAILURE_HANDLER, Level.DEBUG)) {
      try (Socket socket = startDownload()) {
        socket.setSoLinger(true, 0);
      }
      awaitTheFailureHandler(failures);
      assertEquals(List.of(), errors.lines());
    }
  }

  @Test
  void aClientCutOffByTheIdleTimeoutLeavesNoError() throws Exception {
    try (LogLines errors = new LogLines(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.ERROR);
        LogLines failures = new LogLines(FAILURE_HANDLER, Level.DEBUG);
        Socket socket = startDownload()) {
      awaitTheFailureHandler(failures);
      assertEquals(List.of(), errors.lines());
    }
  }

  /** A GET of the blob whose first bytes have arrived, from a client that then reads no more. */
  private static Socket startDownload() throws Exception {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", registry.port()));
    socket.getOutputStream().write(("GET " + blobPath + " HTTP/1.1\r\nHost: " + registry.hostPort()
        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.setSoTimeout((int) WAIT.toMillis());
    InputStream in = socket.getInputStream();
    byte[] head = new byte[12];
    assertEquals(head.length, in.readNBytes(head, 0, head.length));
    assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
    return socket;
  }

  /** The failure handler runs once the broken download's write has failed, after the connection's own failure. */
  private static void awaitTheFailureHandler(LogLines failures) throws InterruptedException {
    assertTrue(!failures.await(line -> true, WAIT).isEmpty(), "the broken download never reached the failure handler");
  }
}
