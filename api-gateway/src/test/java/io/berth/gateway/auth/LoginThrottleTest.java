package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Polling;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's htpasswd logins past {@code auth.throttle}: 429 {@code TOOMANYREQUESTS} with {@code Retry-After},
 * per account and per client address (the TCP peer: each test client connects from its own loopback address), for
 * the right password too, without touching other accounts from other addresses, until the window refills.
 */
class LoginThrottleTest {
  private static final Map<String, String> PASSWORDS = Map.of("alice", "wonderland", "bob", "builder",
      "mallory", "mallory-own");

  @TempDir
  Path directory;
  private final Metrics metrics = Metrics.prometheus();
  private RunningGateway gateway;

  @BeforeEach
  void start() throws Exception {
    Path users = HtpasswdFiles.write(directory.resolve("htpasswd"), PASSWORDS);
    gateway = RunningGateway.start(directory, "  htpasswd:\n    path: " + users + "\n"
        + "  throttle:\n    accountfailures: 3\n    addressfailures: 5\n    window: 3s\n", metrics);
  }

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void accountPastItsLimitAnswers429WithRetryAfterEvenForTheRightPasswordUntilTheWindowRefills() throws Exception {
    WebClient guesser = gateway.clientFrom("127.0.0.11", gateway.port());
    for (int i = 0; i < 3; i++) {
      assertEquals(401, login(guesser, "bob", "guess-" + i).statusCode());
    }

    HttpResponse<Buffer> throttled = login(guesser, "bob", PASSWORDS.get("bob"));
    assertTooManyRequests(throttled);
    assertEquals(429, login(gateway.clientFrom("127.0.0.12", gateway.port()), "bob", "builder").statusCode(),
        "the account is throttled from every address");
    assertEquals(200, login(gateway.clientFrom("127.0.0.12", gateway.port()), "alice", "wonderland").statusCode());
    long retryAfter = Long.parseLong(throttled.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
    assertEquals(200, eventuallyLoggedIn(guesser, "bob", "builder", retryAfter));
    assertEquals(3.0, count("berth.login.failures", "reason", "wrong_password"));
    assertTrue(count("berth.login.throttled", "scope", "account") >= 2);
  }

  @Test
  void addressPastItsLimitAnswers429AndALoginIntoTheGuessersOwnAccountDoesNotResetIt() throws Exception {
    WebClient guesser = gateway.clientFrom("127.0.0.21", gateway.port());
    for (int i = 0; i < 4; i++) {
      assertEquals(401, login(guesser, "guess-" + i, "guess").statusCode());
    }
    assertEquals(200, login(guesser, "mallory", "mallory-own").statusCode());
    assertEquals(401, login(guesser, "guess-4", "guess").statusCode());

    assertTooManyRequests(login(guesser, "mallory", "mallory-own"));
    assertTooManyRequests(login(guesser, "alice", "wonderland"));
    assertEquals(200, login(gateway.clientFrom("127.0.0.22", gateway.port()), "alice", "wonderland").statusCode());
    assertEquals(5.0, count("berth.login.failures", "reason", "unknown_user"));
    assertEquals(2.0, count("berth.login.throttled", "scope", "address"));
    String scrape = metrics.prometheusRegistry().orElseThrow().scrape();
    assertTrue(scrape.contains("berth_login_throttled_total{scope=\"address\",service=\"registry\"} 2.0"), scrape);
    assertTrue(scrape.contains("berth_login_failures_total{reason=\"unknown_user\",service=\"registry\"} 5.0"),
        scrape);
  }

  @Test
  void everyGatewayInstanceOfTheProcessCountsIntoTheSameLimits() throws Exception {
    int second = gateway.deployAnother();
    assertNotEquals(gateway.port(), second);
    WebClient first = gateway.clientFrom("127.0.0.31", gateway.port());
    for (int i = 0; i < 3; i++) {
      assertEquals(401, login(first, "bob", "guess-" + i).statusCode());
    }

    assertTooManyRequests(login(gateway.clientFrom("127.0.0.32", second), "bob", "builder"));
  }

  @Test
  void requestsWithoutCredentialsAreNeitherCountedNorThrottled() throws Exception {
    WebClient anonymous = gateway.clientFrom("127.0.0.41", gateway.port());
    for (int i = 0; i < 10; i++) {
      HttpResponse<Buffer> response = anonymous.request(HttpMethod.GET, "/v2/").send().await(10, TimeUnit.SECONDS);
      assertEquals(401, response.statusCode());
    }

    assertEquals(200, login(anonymous, "alice", "wonderland").statusCode());
  }

  private static HttpResponse<Buffer> login(WebClient client, String user, String password) throws Exception {
    return client.request(HttpMethod.GET, "/v2/").putHeader("Authorization", HtpasswdAuthTest.basic(user, password))
        .send().await(10, TimeUnit.SECONDS);
  }

  private static void assertTooManyRequests(HttpResponse<Buffer> response) {
    assertEquals(429, response.statusCode(), response.bodyAsString());
    assertTrue(Long.parseLong(response.getHeader("Retry-After")) >= 1);
    assertNull(response.getHeader("WWW-Authenticate"));
    JsonObject error = response.bodyAsJsonObject().getJsonArray("errors").getJsonObject(0);
    assertEquals("TOOMANYREQUESTS", error.getString("code"));
    assertTrue(error.getString("message").startsWith("too many failed logins"), error.getString("message"));
  }

  /** The status once the login is let through again; the throttle refills within {@code retryAfter} seconds. */
  private static int eventuallyLoggedIn(WebClient client, String user, String password, long retryAfter)
      throws Exception {
    return Polling.until(() -> login(client, user, password).statusCode(), status -> status != 429,
        Duration.ofMillis(100), Duration.ofSeconds(retryAfter + 10));
  }

  private double count(String name, String key, String value) {
    return metrics.registry().get(name).tags("service", "registry", key, value).counter().count();
  }
}
