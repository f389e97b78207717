package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.berth.common.testing.LogLines;
import io.berth.common.testing.RawClient;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token issuer's own HTTP server against hostile clients: {@code authserver.timeouts} and
 * {@code authserver.maxconnections} close a slow head, a stalled form body and connections beyond the cap.
 */
class IssuerConnectionLimitsTest {
  private static final String KEYS = "GET /keys HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  @TempDir
  Path directory;

  private RunningIssuer start(JsonObject limits) throws Exception {
    return RunningIssuer.start(directory, RunningIssuer.standardSection(RunningIssuer.writeUsers(directory))
        .mergeIn(limits));
  }

  @Test
  void aRequestHeadSentOneBytePerSecondIsClosedWithinTheHeaderTimeout() throws Exception {
    try (RunningIssuer issuer = start(new JsonObject().put("timeouts", new JsonObject().put("readheader", "1s")));
        RawClient slowloris = RawClient.connect(issuer.port())) {
      Duration closedAfter = slowloris.trickle("GET /token?service=registry.test HTTP/1.1\r\nX-Padding: "
          + "a".repeat(100), Duration.ofSeconds(1), Duration.ofSeconds(10));

      assertNotNull(closedAfter, "the issuer never closed a connection whose head never completed");
      assertTrue(closedAfter.compareTo(Duration.ofMillis(3_000)) < 0, "closed only after " + closedAfter);
    }
  }

  @Test
  void aTokenFormSentBelowTheMinimumRateIsClosed() throws Exception {
    JsonObject timeouts = new JsonObject().put("bodyminrate", 1024).put("bodyratewindow", "1s");
    try (RunningIssuer issuer = start(new JsonObject().put("timeouts", timeouts));
        LogLines failures = new LogLines("io.berth.auth.http.TokenFailureHandler", Level.DEBUG);
        RawClient slow = RawClient.connect(issuer.port())) {
      String form = "grant_type=password&service=registry.test&client_id=test&username=alice&password=x";
      slow.write("POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          + "Content-Length: " + form.length() * 10 + "\r\n\r\n");
      Duration closedAfter = slow.trickle(form, Duration.ofMillis(100), Duration.ofSeconds(10));

      assertNotNull(closedAfter, "the issuer waited for ever on a body arriving at 10 bytes/s");
      assertTrue(closedAfter.compareTo(Duration.ofMillis(4_000)) < 0, "closed only after " + closedAfter);
      // The failure handler runs after the close.
      List<String> lines = failures.await(line -> line.contains("connection closed before the answer"),
          Duration.ofSeconds(5));
      assertTrue(lines.stream().noneMatch(line -> line.startsWith("ERROR")), "a cut-off client is no error: " + lines);
    }
  }


  @Test
  void connectionsBeyondTheCapAreClosedAtOnceWithAWarning() throws Exception {
    List<RawClient> admitted = new ArrayList<>();
    try (RunningIssuer issuer = start(new JsonObject().put("maxconnections", 5));
        LogLines warnings = new LogLines("io.berth.common.http.ConnectionCap", Level.WARN)) {
      for (int i = 0; i < 5; i++) {
        RawClient client = RawClient.connect(issuer.port());
        admitted.add(client);
        client.write(KEYS);
        assertTrue(client.readResponse(Duration.ofSeconds(5)).startsWith("HTTP/1.1 200"), "connection " + i);
      }
      try (RawClient refused = RawClient.connect(issuer.port())) {
        assertTrue(refused.closedByServerWithin(Duration.ofSeconds(2)), "connection 6 was not closed");
      }
      List<String> lines = warnings.lines();
      assertEquals(1, lines.size(), lines::toString);
      assertTrue(lines.get(0).contains("authserver.maxconnections"), lines.get(0));
    } finally {
      admitted.forEach(RawClient::close);
    }
  }
}
