package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.LoggerFactory;

/**
 * With every logger at DEBUG, accepted and refused requests of both auth modes leave no password, token or
 * Authorization value in any log line, argument, exception or MDC entry.
 */
class AuthLoggingTest {
  private static final String PASSWORD = "correct-horse-battery-staple";
  private static final String WRONG_PASSWORD = "Tr0ub4dor&3-wrong";

  @TempDir
  static Path directory;
  private static final ListAppender<ILoggingEvent> APPENDER = new ListAppender<>();
  private static final Logger ROOT = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private static Level rootLevel;
  private static RunningGateway htpasswd;
  private static RunningGateway token;
  private static TestPki.Identity issuer;

  @BeforeAll
  static void start() throws Exception {
    rootLevel = ROOT.getLevel();
    ROOT.setLevel(Level.DEBUG);
    APPENDER.start();
    ROOT.addAppender(APPENDER);
    Path users = Files.writeString(directory.resolve("htpasswd"), "dave:" + BCrypt.hashpw(PASSWORD,
        BCrypt.gensalt(4)) + "\n");
    htpasswd = RunningGateway.start(Files.createDirectory(directory.resolve("basic")),
        "  htpasswd:\n    realm: basic\n    path: " + users + "\n");
    issuer = TestPki.selfSignedCa("CN=Logging Test Issuer");
    Path bundle = TestPki.writeBundle(directory.resolve("bundle.pem"), issuer.certificate());
    token = RunningGateway.start(Files.createDirectory(directory.resolve("token")), Jwts.tokenAuth(bundle));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      htpasswd.close();
      token.close();
    } finally {
      ROOT.detachAppender(APPENDER);
      APPENDER.stop();
      ROOT.setLevel(rootLevel);
    }
  }

  @Test
  void noCredentialAppearsInAnyLogLine() throws Exception {
    List<String> secrets = new ArrayList<>();
    String right = HtpasswdAuthTest.basic("dave", PASSWORD);
    String wrong = HtpasswdAuthTest.basic("dave", WRONG_PASSWORD);
    secrets.addAll(List.of(PASSWORD, WRONG_PASSWORD, right, wrong, right.substring(6), wrong.substring(6)));
    assertEquals(200, status(htpasswd, HttpMethod.GET, "/v2/app/one/tags/list", right));
    assertEquals(401, status(htpasswd, HttpMethod.GET, "/v2/app/one/tags/list", wrong));
    assertEquals(401, status(htpasswd, HttpMethod.PATCH, "/v2/app/one/blobs/uploads/" + StubServices.SESSION, wrong));

    String pull = bearer(Jwts.access("repository", "app/one", "pull"));
    String tampered = pull.substring(0, pull.lastIndexOf('.') + 1) + Jwts.b64("forged-signature".getBytes());
    String expired = signed(Jwts.claims(Jwts.access("repository", "app/one", "pull")).put("exp", 1_000_000));
    for (String jwt : List.of(pull, tampered, expired)) {
      secrets.add(jwt);
      secrets.addAll(Arrays.asList(jwt.split("\\.")).subList(1, 3));
    }
    assertEquals(200, status(token, HttpMethod.GET, "/v2/app/one/tags/list", "Bearer " + pull));
    assertEquals(401, status(token, HttpMethod.POST, "/v2/app/one/blobs/uploads/", "Bearer " + pull));
    assertEquals(401, status(token, HttpMethod.GET, "/v2/app/one/tags/list", "Bearer " + tampered));
    assertEquals(401, status(token, HttpMethod.GET, "/v2/app/one/tags/list", "Bearer " + expired));
    assertEquals(401, status(token, HttpMethod.GET, "/v2/_catalog", right));

    List<ILoggingEvent> events = List.copyOf(APPENDER.list);
    assertTrue(events.stream().anyMatch(event -> event.getLoggerName().equals(AccessHandler.class.getName())
            && event.getLevel() == Level.DEBUG && event.getFormattedMessage().startsWith("access refused")),
        "the refusals were logged at DEBUG and captured");
    for (ILoggingEvent event : events) {
      String text = everything(event);
      for (String secret : secrets) {
        assertFalse(text.contains(secret), () -> "a credential leaked into the log: " + event);
      }
    }
  }

  private static int status(RunningGateway gateway, HttpMethod method, String path, String authorization)
      throws Exception {
    var request = gateway.request(method, path).putHeader("Authorization", authorization);
    return (method == HttpMethod.PATCH ? gateway.send(request, Buffer.buffer("abc")) : gateway.send(request))
        .statusCode();
  }

  private static String bearer(JsonArray access) throws Exception {
    return signed(Jwts.claims(access));
  }

  private static String signed(JsonObject claims) throws Exception {
    return Jwts.sign(Jwts.header("RS256").put("x5c", new JsonArray().add(issuer.x5c())), claims,
        issuer.privateKey());
  }

  /** Everything of an event that could reach an appender: message, arguments, MDC, exception chain. */
  private static String everything(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage()).append('\n').append(event.getMessage());
    if (event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        text.append('\n').append(argument);
      }
    }
    for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
      text.append('\n').append(entry.getKey()).append('=').append(entry.getValue());
    }
    for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
      text.append('\n').append(cause.getClassName()).append(": ").append(cause.getMessage());
      for (StackTraceElementProxy frame : cause.getStackTraceElementProxyArray()) {
        text.append('\n').append(frame.getSTEAsString());
      }
    }
    return text.toString();
  }
}
