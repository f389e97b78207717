package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** The gateway's access log: one line per request with id, method, path, status, bytes, duration and user. */
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
  void everyRequestLeavesOneLineWithItsIdStatusAndUserButNoCredential() throws Exception {
    var response = gateway.send(gateway.request(HttpMethod.GET, "/v2/?hidden=query")
        .putHeader("X-Request-Id", "ci-run-42")
        .putHeader("Authorization", HtpasswdAuthTest.basic("erin", PASSWORD)));
    assertEquals(200, response.statusCode());
    gateway.send(gateway.request(HttpMethod.GET, "/v2/"));
    assertTrue(twoLines.await(10, TimeUnit.SECONDS), "two access lines");

    List<Map<String, String>> lines = appender.list.stream().map(AccessLogTest::fields).toList();
    assertEquals(2, lines.size(), () -> "access lines: " + lines);
    Map<String, String> first = lines.get(0);
    assertEquals("ci-run-42", first.get("id"));
    assertEquals("GET", first.get("method"));
    assertEquals("/v2/", first.get("path"));
    assertEquals("200", first.get("status"));
    assertEquals("erin", first.get("user"));
    assertEquals("2", first.get("bytes_out"));
    assertEquals("401", lines.get(1).get("status"));
    assertEquals("", lines.get(1).get("user"));
    String everything = appender.list.stream().map(event -> event.getFormattedMessage() + event.getKeyValuePairs())
        .collect(Collectors.joining("\n"));
    assertFalse(everything.contains(PASSWORD) || everything.contains("Basic ") || everything.contains("hidden"),
        everything);
  }

  private static Map<String, String> fields(ILoggingEvent event) {
    return event.getKeyValuePairs().stream()
        .collect(Collectors.toMap(pair -> pair.key, pair -> String.valueOf(pair.value)));
  }
}
