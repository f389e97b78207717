package io.berth.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.berth.common.config.ConnectionLimits;
import io.berth.common.testing.Await;
import io.berth.common.testing.LogLines;
import io.berth.common.testing.RawClient;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain Vert.x HTTP server behind a {@link ConnectionGuard}, against real sockets that send too slowly, send
 * nothing, read nothing, or come in too great numbers; and against clients that are not slow at all (uploads the server
 * itself holds back, 100 Continue, kept-alive connections between requests, steady slow downloads), which it must leave
 * alone.
 */
class ConnectionGuardTest {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final String GET = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @TempDir
  Path directory;
  private final Vertx vertx = Vertx.vertx();
  /** When the server saw each of its connections close, in order. */
  private final ConcurrentLinkedQueue<Long> closedAt = new ConcurrentLinkedQueue<>();

  @AfterEach
  void close() {
    Await.result(vertx.close());
  }

  private static ConnectionLimits limits(Duration idle, Duration readHeader, long minRate, Duration window) {
    return new ConnectionLimits(idle, readHeader, minRate, window, 0, 0);
  }

  private int start(ConnectionLimits limits, Handler<HttpServerRequest> handler) {
    return start(limits, new ConnectionCap("test", "http", 1000, 0), new HttpServerOptions(), handler);
  }

  private int start(ConnectionLimits limits, ConnectionCap cap, HttpServerOptions options,
      Handler<HttpServerRequest> handler) {
    ConnectionGuard guard = new ConnectionGuard(limits, cap);
    HttpServer server = vertx.createHttpServer(guard.configure(options.setHost("127.0.0.1").setPort(0)));
    server.connectionHandler(connection -> {
      guard.accept(connection);
      connection.closeHandler(closed -> closedAt.add(System.nanoTime()));
    }).requestHandler(handler);
    return Await.result(server.listen()).actualPort();
  }

  /** Answers with the number of body bytes it read. */
  private static void countBody(HttpServerRequest request) {
    request.body().onSuccess(body -> request.response().end("read " + body.length()));
  }

  @Test
  void aHeadSentOneBytePerSecondIsClosedWithinTheHeadTimeout() {
    int port = start(limits(Duration.ofMinutes(1), SECOND, 1024, SECOND), ConnectionGuardTest::countBody);
    try (RawClient slowloris = RawClient.connect(port)) {
      Duration closedAfter = slowloris.trickle("GET / HTTP/1.1\r\nX-Padding: " + "a".repeat(100), SECOND,
          Duration.ofSeconds(10));

      assertNotNull(closedAfter, "never closed");
      assertTrue(closedAfter.compareTo(Duration.ofMillis(2_500)) < 0, "closed after " + closedAfter);
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosedByTheHeadTimeoutAndWithoutItByTheIdleTimeout() {
    int headTimed = start(limits(Duration.ofMinutes(1), SECOND, 0, SECOND), ConnectionGuardTest::countBody);
    int idleTimed = start(limits(SECOND, Duration.ZERO, 0, SECOND), ConnectionGuardTest::countBody);
    try (RawClient first = RawClient.connect(headTimed); RawClient second = RawClient.connect(idleTimed)) {
      assertTrue(first.closedByServerWithin(Duration.ofSeconds(5)), "kept open without a head");
      assertTrue(second.closedByServerWithin(Duration.ofSeconds(5)), "kept open while idle");
      assertTrue(first.sinceOpened().compareTo(Duration.ofMillis(900)) > 0, "closed early: " + first.sinceOpened());
    }
  }

  @Test
  void betweenRequestsOnlyTheIdleTimeoutRuns() {
    int port = start(limits(Duration.ofMillis(2_500), Duration.ofMillis(500), 0, SECOND), ConnectionGuardTest::countBody);
    try (RawClient keptAlive = RawClient.connect(port)) {
      keptAlive.write(GET);
      assertTrue(keptAlive.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"));
      assertFalse(keptAlive.closedByServerWithin(Duration.ofMillis(1_500)),
          "a kept-alive connection was closed between requests by the head timeout");
      keptAlive.write(GET);
      assertTrue(keptAlive.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), "second request served");
      long answered = System.nanoTime();

      assertTrue(keptAlive.closedByServerWithin(Duration.ofSeconds(5)), "an idle kept-alive connection stayed open");
      assertTrue(System.nanoTime() - answered > TimeUnit.MILLISECONDS.toNanos(2_000), "closed before the idle timeout");
    }
  }

  @Test
  void theFirstByteOfALaterRequestStartsItsHeadTimer() {
    int port = start(limits(Duration.ofSeconds(30), Duration.ofMillis(500), 0, SECOND), ConnectionGuardTest::countBody);
    try (RawClient client = RawClient.connect(port)) {
      client.write(GET);
      assertTrue(client.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"));
      assertFalse(client.closedByServerWithin(SECOND), "closed between requests");
      long started = System.nanoTime();
      Duration closedAfter = client.trickle("GET / HTTP/1.1\r\nX-Padding: " + "a".repeat(100), Duration.ofMillis(200),
          Duration.ofSeconds(20));

      assertNotNull(closedAfter, "a slow second head was waited for");
      Duration sinceFirstByte = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(sinceFirstByte.compareTo(Duration.ofMillis(1_500)) < 0, "closed after " + sinceFirstByte);
    }
  }

  @Test
  void pipelinedRequestsAreAllAnsweredAndLeaveTheConnectionBetweenRequests() {
    int port = start(limits(Duration.ofSeconds(10), Duration.ofMillis(500), 0, SECOND), ConnectionGuardTest::countBody);
    try (RawClient client = RawClient.connect(port)) {
      client.write(GET + GET + GET);
      for (int i = 0; i < 3; i++) {
        assertTrue(client.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), "response " + i);
      }
      assertFalse(client.closedByServerWithin(Duration.ofSeconds(1)), "closed between requests");
    }
  }

  @Test
  void aBodyBelowTheMinimumRateIsClosedAfterTheWindow() {
    int port = start(limits(Duration.ofMinutes(1), Duration.ofSeconds(30), 1024, SECOND), ConnectionGuardTest::countBody);
    try (RawClient slow = RawClient.connect(port)) {
      slow.write("PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n");
      Duration closedAfter = slow.trickle("0123456789", Duration.ofMillis(100), Duration.ofSeconds(10));

      assertNotNull(closedAfter, "a body at 10 bytes/s was waited for");
      assertTrue(closedAfter.compareTo(Duration.ofMillis(3_000)) < 0, "closed after " + closedAfter);
    }
  }

  @Test
  void timeTheServerHoldsABodyBackIsNotCountedAgainstTheClient() {
    int port = start(limits(Duration.ofMinutes(1), Duration.ofSeconds(30), 10L * 1024 * 1024, SECOND), request -> {
      request.pause();
      long[] read = {0};
      request.handler(chunk -> read[0] += chunk.length());
      request.endHandler(end -> request.response().end("read " + read[0]));
      vertx.setTimer(3_000, resume -> request.resume());
    });
    int size = 16 * 1024 * 1024;
    try (RawClient upload = RawClient.connect(port)) {
      upload.write("PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + size + "\r\n\r\n");
      Thread uploader = new Thread(() -> upload.write(new byte[size]));
      uploader.start();

      String response = upload.readResponse(Duration.ofSeconds(20));
      assertTrue(response.endsWith("read " + size), "the held-back upload was cut: " + response);
    }
  }

  @Test
  void aBodyAfterA100ContinueIsReadAndTheContinueIsNoResponse() throws Exception {
    int port = start(limits(Duration.ofSeconds(10), Duration.ofMillis(500), 0, SECOND), ConnectionGuardTest::countBody);
    try (RawClient client = RawClient.connect(port)) {
      client.write("PUT / HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
      assertTrue(client.readHead(Duration.ofSeconds(5)).startsWith("HTTP/1.1 100"));
      Thread.sleep(800);
      client.write("hello");

      assertTrue(client.readResponse(Duration.ofSeconds(5)).endsWith("read 5"));
      assertFalse(client.closedByServerWithin(SECOND), "closed between requests");
    }
  }

  @Test
  void aResponseTheClientNeverReadsIsClosedAfterTheIdleTimeoutWhetherWrittenOrSentFromAFile() throws Exception {
    Path file = Files.write(directory.resolve("blob"), new byte[8 * 1024 * 1024]);
    HttpServerOptions smallBuffers = new HttpServerOptions().setSendBufferSize(32 * 1024);
    int port = start(limits(SECOND, Duration.ofSeconds(30), 0, SECOND), new ConnectionCap("test", "http", 100, 0),
        smallBuffers, request -> {
          if (request.path().equals("/file")) {
            request.response().sendFile(file.toString());
          } else {
            write(request.response(), 8 * 1024 * 1024, 64 * 1024);
          }
        });
    for (String path : List.of("/written", "/file")) {
      closedAt.clear();
      try (RawClient stalled = RawClient.connect(port, 32 * 1024)) {
        stalled.write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        long sent = System.nanoTime();

        Long closed = awaitServerClose(Duration.ofSeconds(10));
        assertNotNull(closed, path + ": a stalled download held its connection");
        assertTrue(closed - sent < TimeUnit.SECONDS.toNanos(4), path + ": closed after " + (closed - sent) / 1e6 + " ms");
      }
    }
  }

  @Test
  void aSlowButSteadyDownloadLongerThanTheIdleTimeoutIsNotCut() {
    int body = 1024 * 1024;
    HttpServerOptions smallBuffers = new HttpServerOptions().setSendBufferSize(16 * 1024);
    int port = start(limits(Duration.ofMillis(500), Duration.ofSeconds(30), 0, SECOND),
        new ConnectionCap("test", "http", 100, 0), smallBuffers, request -> write(request.response(), body, 16 * 1024));
    try (RawClient reader = RawClient.connect(port, 16 * 1024)) {
      reader.write(GET);
      String head = reader.readHead(Duration.ofSeconds(5));
      long started = System.nanoTime();
      long read = reader.readSteadily(body, 16 * 1024, Duration.ofMillis(25));

      assertTrue(head.startsWith("HTTP/1.1 200"), head);
      assertEquals(body, read, "the download was cut");
      assertTrue(System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(1_000), "too fast to show anything");
    }
  }

  @Test
  void aStalledTlsHandshakeIsClosedWithinTheHeadTimeout() {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    HttpServerOptions tls = new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    int port = start(limits(Duration.ofMinutes(1), SECOND, 0, SECOND), new ConnectionCap("test", "http", 100, 0), tls,
        ConnectionGuardTest::countBody);
    // The first handshakes build the TLS contexts, which can outlast a 1 s limit on a busy machine: time a later one.
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setTrustAll(true)
        .setVerifyHost(false));
    boolean through = false;
    for (int attempt = 0; attempt < 5 && !through; attempt++) {
      through = succeeds(client.request(HttpMethod.GET, port, "127.0.0.1", "/").compose(HttpClientRequest::send)
          .compose(HttpClientResponse::body));
    }
    assertTrue(through, "no TLS request got through");
    try (RawClient silent = RawClient.connect(port)) {
      assertTrue(silent.closedByServerWithin(Duration.ofSeconds(15)), "a handshake that never started was waited for");
      assertTrue(silent.sinceOpened().compareTo(Duration.ofMillis(2_500)) < 0, "closed after " + silent.sinceOpened());
    }
  }

  @Test
  void theCapPerClientRefusesTheClientsNextConnectionWithOneWarningAndAdmitsItAgainOnceOneCloses()
      throws InterruptedException {
    ConnectionCap cap = new ConnectionCap("test", "http", 100, 2);
    int port = start(limits(Duration.ofMinutes(1), Duration.ofSeconds(30), 0, SECOND), cap, new HttpServerOptions(),
        ConnectionGuardTest::countBody);
    try (LogLines warnings = new LogLines(ConnectionCap.class.getName(), Level.WARN);
        RawClient first = RawClient.connect(port); RawClient second = RawClient.connect(port)) {
      for (RawClient client : List.of(first, second)) {
        client.write(GET);
        assertTrue(client.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"));
      }
      for (int i = 0; i < 3; i++) {
        try (RawClient refused = RawClient.connect(port)) {
          assertTrue(refused.closedByServerWithin(Duration.ofSeconds(2)), "a third connection was admitted");
        }
      }
      assertEquals(1, warnings.lines().size(), warnings.lines()::toString);
      assertTrue(warnings.lines().get(0).contains("client: 127.0.0.1")
          && warnings.lines().get(0).contains("http.maxconnectionsperclient"), warnings.lines().get(0));

      first.close();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (cap.open() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      try (RawClient again = RawClient.connect(port)) {
        again.write(GET);
        assertTrue(again.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), "not admitted again");
      }
    }
  }

  /** Writes {@code total} zero bytes in {@code chunk}s, waiting for the socket whenever Vert.x's queue is full. */
  private static Future<Void> write(HttpServerResponse response, long total, int chunk) {
    response.putHeader("Content-Length", String.valueOf(total));
    Promise<Void> done = Promise.promise();
    writeMore(response, total, Buffer.buffer(new byte[chunk]), done);
    return done.future();
  }

  private static void writeMore(HttpServerResponse response, long left, Buffer chunk, Promise<Void> done) {
    long remaining = left;
    while (remaining > 0 && !response.writeQueueFull()) {
      Buffer part = remaining >= chunk.length() ? chunk : chunk.slice(0, (int) remaining);
      remaining -= part.length();
      if (remaining == 0) {
        response.end(part).onComplete(done);
        return;
      }
      response.write(part);
    }
    long rest = remaining;
    response.drainHandler(drained -> writeMore(response, rest, chunk, done));
  }

  private static boolean succeeds(Future<?> future) {
    try {
      Await.result(future);
      return true;
    } catch (AssertionError failed) {
      return false;
    }
  }

  private Long awaitServerClose(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (closedAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return closedAt.peek();
  }
}
