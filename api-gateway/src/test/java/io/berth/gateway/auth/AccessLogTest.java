package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.berth.common.logging.JsonLayout;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.LoggerFactory;

/**
 * The gateway's access log: one line per request, "response completed" with distribution's field names (request id,
 * method, path, host, client address, user agent, status, bytes written, duration as Go writes it, user), which the
 * JSON formatter writes as top-level keys.
 */
class AccessLogTest {
  private static final String PASSWORD = "access-log-password";

  @TempDir
  Path directory;
  /** The line is written when the response has ended, which may be after the client has read it: await lines. */
  private final CountDownLatch twoLines = new CountDownLatch(2);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      super.append(event);
      twoLines.countDown();
    }
  };
  private final Logger accessLogger = (Logger) LoggerFactory.getLogger("io.berth.access");
  private RunningGateway gateway;

  @BeforeEach
  void start() throws Exception {
    appender.start();
    accessLogger.addAppender(appender);
    accessLogger.setLevel(ch.qos.logback.classic.Level.INFO);
    Path users = Files.writeString(directory.resolve("htpasswd"), "erin:" + BCrypt.hashpw(PASSWORD,
        BCrypt.gensalt(4)) + "\n");
    gateway = RunningGateway.start(Files.createDirectory(directory.resolve("root")),
        "  htpasswd:\n    realm: basic\n    path: " + users + "\n");
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
    accessLogger.detachAppender(appender);
    accessLogger.setLevel(null);
  }

  @Test
  void everyRequestLeavesOneLineWithDistributionsFieldsAndTheUserButNoCredential() throws Exception {
    var response = gateway.send(gateway.request(HttpMethod.GET, "/v2/?hidden=query")
        .putHeader("X-Request-Id", "ci-run-42")
        .putHeader("User-Agent", "docker/27.0 go/go1.22")
        .putHeader("X-Forwarded-For", "203.0.113.7")
        .putHeader("Authorization", HtpasswdAuthTest.basic("erin", PASSWORD)));
    assertEquals(200, response.statusCode());
    gateway.send(gateway.request(HttpMethod.GET, "/v2/"));
    assertTrue(twoLines.await(10, TimeUnit.SECONDS), "two access lines");

    List<Map<String, String>> lines = appender.list.stream().map(AccessLogTest::fields).toList();
    assertEquals(2, lines.size(), () -> "access lines: " + lines);
    assertEquals("response completed", appender.list.get(0).getFormattedMessage());
    Map<String, String> first = lines.get(0);
    assertEquals("ci-run-42", first.get("http.request.id"));
    assertEquals("GET", first.get("http.request.method"));
    assertEquals("/v2/", first.get("http.request.uri"));
    assertTrue(first.get("http.request.host").startsWith("127.0.0.1:"), first::toString);
    assertTrue(first.get("http.request.remoteaddr").matches("127\\.0\\.0\\.1:\\d+"), first::toString);
    assertEquals("203.0.113.7", first.get("http.request.forwardedfor"), "the header as sent, beside the peer");
    assertEquals("docker/27.0 go/go1.22", first.get("http.request.useragent"));
    assertEquals("200", first.get("http.response.status"));
    assertEquals("2", first.get("http.response.written"));
    assertTrue(first.get("http.response.duration").matches("[0-9.]+(ns|µs|ms|s)"), first::toString);
    assertEquals("erin", first.get("auth.user.name"));
    assertEquals("0", first.get("bytes_in"));
    assertTrue(first.containsKey("duration_ms"), first::toString);
    assertEquals("401", lines.get(1).get("http.response.status"));
    assertFalse(lines.get(1).containsKey("auth.user.name"), "no user when none was authenticated");
    String everything = appender.list.stream().map(event -> event.getFormattedMessage() + event.getKeyValuePairs())
        .collect(Collectors.joining("\n"));
    assertFalse(everything.contains(PASSWORD) || everything.contains("Basic ") || everything.contains("hidden"),
        everything);

    JsonObject json = new JsonObject(new JsonLayout(Map.of(), ZoneOffset.UTC).doLayout(appender.list.get(0)));
    assertEquals("response completed", json.getString("msg"));
    assertEquals(200, json.getValue("http.response.status"), "top-level keys, numbers as numbers");
    assertEquals("erin", json.getString("auth.user.name"));
  }

  private static Map<String, String> fields(ILoggingEvent event) {
    return event.getKeyValuePairs().stream()
        .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value)));
  }
}
