package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.ConfigParser;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Polling;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issuer's logins (Basic on GET /token, the password grant of POST /token) past {@code authserver.throttle}: 429
 * with {@code Retry-After} and the OAuth2 error body, per account and per client address (each test client connects
 * from its own loopback address), without touching other accounts from other addresses, until the window refills.
 */
class LoginThrottleTest {
  @TempDir
  Path directory;
  private final Vertx vertx = Vertx.vertx();
  private final Metrics metrics = Metrics.prometheus();
  private int port;

  @BeforeEach
  void start() throws Exception {
    Path users = RunningIssuer.writeUsers(directory);
    JsonObject json = new JsonObject()
        .put("storage", new JsonObject().put("filesystem", new JsonObject()
            .put("rootdirectory", directory.resolve("storage").toString())))
        .put("authserver", RunningIssuer.standardSection(users).put("addr", "127.0.0.1:0")
            .put("signing", new JsonObject().put("algorithm", "ES256"))
            .put("throttle", new JsonObject().put("accountfailures", 3).put("addressfailures", 5).put("window", "3s")));
    TokenVerticle issuer = new TokenVerticle(ConfigParser.parse(json), metrics);
    vertx.deployVerticle(issuer).await(60, TimeUnit.SECONDS);
    port = issuer.port();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void accountPastItsLimitAnswers429WithRetryAfterEvenForTheRightPasswordUntilTheWindowRefills() throws Exception {
    WebClient guesser = clientFrom("127.0.0.11");
    for (int i = 0; i < 3; i++) {
      assertEquals(401, basicLogin(guesser, "bob", "guess-" + i).statusCode());
    }

    HttpResponse<Buffer> throttled = basicLogin(guesser, "bob", RunningIssuer.PASSWORDS.get("bob"));
    assertTooManyRequests(throttled);
    assertTooManyRequests(passwordGrant(clientFrom("127.0.0.12"), "bob", RunningIssuer.PASSWORDS.get("bob")));
    assertEquals(200, passwordGrant(clientFrom("127.0.0.12"), "alice", RunningIssuer.PASSWORDS.get("alice"))
        .statusCode());
    long retryAfter = Long.parseLong(throttled.getHeader("Retry-After"));
    assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
    assertEquals(200, eventuallyLoggedIn(guesser, "bob", RunningIssuer.PASSWORDS.get("bob"), retryAfter));
    assertEquals(3.0, count("berth.login.failures", "reason", "wrong_password"));
    assertTrue(count("berth.login.throttled", "scope", "account") >= 2);
  }

  @Test
  void addressPastItsLimitAnswers429AndALoginIntoTheGuessersOwnAccountDoesNotResetIt() throws Exception {
    WebClient guesser = clientFrom("127.0.0.21");
    for (int i = 0; i < 4; i++) {
      assertEquals(401, passwordGrant(guesser, "guess-" + i, "guess").statusCode());
    }
    assertEquals(200, basicLogin(guesser, "bob", RunningIssuer.PASSWORDS.get("bob")).statusCode());
    assertEquals(401, passwordGrant(guesser, "guess-4", "guess").statusCode());

    assertTooManyRequests(basicLogin(guesser, "bob", RunningIssuer.PASSWORDS.get("bob")));
    assertTooManyRequests(passwordGrant(guesser, "alice", RunningIssuer.PASSWORDS.get("alice")));
    assertEquals(200, basicLogin(clientFrom("127.0.0.22"), "alice", RunningIssuer.PASSWORDS.get("alice"))
        .statusCode());
    assertEquals(5.0, count("berth.login.failures", "reason", "unknown_user"));
    String scrape = metrics.prometheusRegistry().orElseThrow().scrape();
    assertTrue(scrape.contains("berth_login_throttled_total{scope=\"address\",service=\"issuer\"} 2.0"), scrape);
  }

  @Test
  void anonymousTokensAreNeitherCountedNorThrottled() throws Exception {
    WebClient anonymous = clientFrom("127.0.0.31");
    for (int i = 0; i < 10; i++) {
      assertEquals(200, anonymous.request(HttpMethod.GET, "/token?service=" + RunningIssuer.SERVICE).send()
          .await(10, TimeUnit.SECONDS).statusCode());
    }
    assertEquals(0.0, count("berth.login.throttled", "scope", "address"));
  }

  private WebClient clientFrom(String localAddress) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setLocalAddress(localAddress));
  }

  private static HttpResponse<Buffer> basicLogin(WebClient client, String user, String password) throws Exception {
    return client.request(HttpMethod.GET, "/token?service=" + RunningIssuer.SERVICE)
        .putHeader("Authorization", RunningIssuer.basic(user, password)).send().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> passwordGrant(WebClient client, String user, String password) throws Exception {
    return client.request(HttpMethod.POST, "/token").sendForm(MultiMap.caseInsensitiveMultiMap()
        .add("grant_type", "password").add("username", user).add("password", password)
        .add("service", RunningIssuer.SERVICE).add("client_id", "test")).await(10, TimeUnit.SECONDS);
  }

  private static void assertTooManyRequests(HttpResponse<Buffer> response) {
    assertEquals(429, response.statusCode(), response.bodyAsString());
    assertTrue(Long.parseLong(response.getHeader("Retry-After")) >= 1);
    assertEquals("no-store", response.getHeader("Cache-Control"));
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("temporarily_unavailable", body.getString("error"));
    assertTrue(body.getString("error_description").startsWith("too many failed logins"), body.encode());
    assertEquals(body.getString("error_description"), body.getString("details"));
  }

  /** The status once the login is let through again; the throttle refills within {@code retryAfter} seconds. */
  private static int eventuallyLoggedIn(WebClient client, String user, String password, long retryAfter)
      throws Exception {
    return Polling.until(() -> basicLogin(client, user, password).statusCode(), status -> status != 429,
        Duration.ofMillis(100), Duration.ofSeconds(retryAfter + 10));
  }

  private double count(String name, String key, String value) {
    return metrics.registry().get(name).tags("service", "issuer", key, value).counter().count();
  }
}
