package io.berth.common.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.berth.common.config.LogConfig;
import io.berth.common.event.EventSource;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code log.formatter} and {@code log.fields} write to standard output, read back as a log shipper would: a
 * parameterized line with an exception, and an access-log line whose fields are key/value pairs.
 */
class LoggingSetupTest {
  private static final Logger LOG = LoggerFactory.getLogger("io.berth.blob.BlobStore");
  private static final Logger ACCESS = LoggerFactory.getLogger("io.berth.access");
  /** RFC 3339 with fractional seconds and an offset, as Go's RFC3339Nano writes it. */
  private static final Pattern RFC3339 =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
  private static final Map<String, Object> FIELDS = Map.of("service", "registry", "environment", "staging");

  private final PrintStream standardOut = System.out;

  @AfterEach
  void restoreLogging() throws Exception {
    System.setOut(standardOut);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private List<String> logWith(String formatter) {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    LoggingSetup.apply(new LogConfig("info", formatter, FIELDS));
    LOG.warn("blob commit failed [repo: {}, digest: {}]", "team/app", "sha256:0a1b", new IOException("disk \"full\""));
    LOG.debug("not written at level info [repo: {}]", "team/app");
    ACCESS.atInfo()
        .addKeyValue("http.request.method", "GET")
        .addKeyValue("http.request.uri", "/v2/team/app/blobs/sha256:0a1b")
        .addKeyValue("http.request.remoteaddr", "127.0.0.1:50312")
        .addKeyValue("http.response.status", 200)
        .addKeyValue("http.response.written", 1024L)
        .addKeyValue("http.response.duration", "1.5ms")
        .addKeyValue("msg", "a field named like the message")
        .log("response completed");
    System.out.flush();
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static void assertRfc3339Now(String time) {
    assertTrue(RFC3339.matcher(time).matches(), time);
    Duration age = Duration.between(OffsetDateTime.parse(time).toInstant(), java.time.Instant.now());
    assertTrue(!age.isNegative() && age.compareTo(Duration.ofMinutes(1)) < 0, time);
  }

  @Test
  void jsonWritesOneFlatObjectPerLineWithTheMessageFormattedAndTheFieldsAtTheTop() {
    List<String> lines = logWith("json");

    assertEquals(2, lines.size(), () -> String.join("\n", lines));
    JsonObject failure = new JsonObject(lines.get(0));
    assertEquals("blob commit failed [repo: team/app, digest: sha256:0a1b]", failure.getString("msg"));
    assertEquals("warning", failure.getString("level"));
    assertRfc3339Now(failure.getString("time"));
    assertEquals("io.berth.blob.BlobStore", failure.getString("logger"));
    assertEquals("registry", failure.getString("service"));
    assertEquals("staging", failure.getString("environment"));
    assertEquals(EventSource.processInstanceId(), failure.getString("instance.id"));
    assertEquals("java.io.IOException: disk \"full\"", failure.getString("error"));
    assertTrue(failure.getString("stack").contains("at io.berth.common.boot.LoggingSetupTest.logWith"),
        failure.getString("stack"));
    assertFalse(failure.containsKey("arguments") || failure.containsKey("message"), failure::encode);

    JsonObject access = new JsonObject(lines.get(1));
    assertEquals("response completed", access.getString("msg"));
    assertEquals("info", access.getString("level"));
    assertEquals("GET", access.getString("http.request.method"));
    assertEquals("/v2/team/app/blobs/sha256:0a1b", access.getString("http.request.uri"));
    assertEquals("127.0.0.1:50312", access.getString("http.request.remoteaddr"));
    assertEquals(200, access.getValue("http.response.status"), "a number stays a number");
    assertEquals(1024, access.getValue("http.response.written"));
    assertEquals("1.5ms", access.getString("http.response.duration"));
    assertEquals("a field named like the message", access.getString("fields.msg"), "logrus's rename of a clash");
    assertEquals("registry", access.getString("service"));
    assertFalse(access.containsKey("kvpList") || access.containsKey("error"), access::encode);
    assertEquals(List.copyOf(access.fieldNames()), access.fieldNames().stream().sorted().toList(),
        "keys sorted, as Go's encoder writes a map");
  }

  @Test
  void textWritesLogrusKeyValueLinesWithTimeLevelAndMessageFirst() {
    List<String> lines = logWith("text");

    assertEquals(2, lines.size(), () -> String.join("\n", lines));
    Matcher failure = Pattern.compile("time=\"([^\"]+)\" level=warning "
        + "msg=\"blob commit failed \\[repo: team/app, digest: sha256:0a1b\\]\" environment=staging "
        + "error=\"java.io.IOException: disk \\\\\"full\\\\\"\" instance.id=([0-9a-f-]{36}) "
        + "logger=io.berth.blob.BlobStore service=registry stack=\"java.io.IOException: disk \\\\\"full\\\\\"\\\\n"
        + "\\\\tat io.berth.common.boot.LoggingSetupTest.logWith.*\"").matcher(lines.get(0));
    assertTrue(failure.matches(), lines.get(0));
    assertRfc3339Now(failure.group(1));
    assertEquals(EventSource.processInstanceId(), failure.group(2));

    assertTrue(Pattern.compile("time=\"[^\"]+\" level=info msg=\"response completed\" environment=staging "
        + "fields.msg=\"a field named like the message\" http.request.method=GET "
        + "http.request.remoteaddr=\"127.0.0.1:50312\" http.request.uri=\"/v2/team/app/blobs/sha256:0a1b\" "
        + "http.response.duration=1.5ms http.response.status=200 http.response.written=1024 "
        + "instance.id=[0-9a-f-]{36} logger=io.berth.access service=registry").matcher(lines.get(1)).matches(),
        lines.get(1));
  }

  @Test
  void logstashWritesTimestampVersionMessageAndLevelBesideTheFields() {
    List<String> lines = logWith("logstash");

    assertEquals(2, lines.size(), () -> String.join("\n", lines));
    JsonObject failure = new JsonObject(lines.get(0));
    assertEquals("blob commit failed [repo: team/app, digest: sha256:0a1b]", failure.getString("message"));
    assertEquals("1", failure.getString("@version"));
    assertEquals("warning", failure.getString("level"));
    assertRfc3339Now(failure.getString("@timestamp"));
    assertEquals("registry", failure.getString("service"));
    assertEquals("java.io.IOException: disk \"full\"", failure.getString("error"));
    JsonObject access = new JsonObject(lines.get(1));
    assertEquals("response completed", access.getString("message"));
    assertEquals(200, access.getValue("http.response.status"));
    assertEquals("a field named like the message", access.getString("msg"), "no clash with logstash's own keys");
  }
}
