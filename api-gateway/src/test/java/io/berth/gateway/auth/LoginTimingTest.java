package io.berth.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry in htpasswd mode answers a login of an unknown user as fast as one with a wrong password: response time
 * must not tell which user names exist. The file's hashes are cost 5, as {@code htpasswd -B} writes them.
 */
class LoginTimingTest {
  private static final int SAMPLES = 50;
  private static final int USERS = 10;

  @TempDir
  static Path directory;
  private static RunningGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> passwords = new LinkedHashMap<>();
    for (int i = 0; i < USERS; i++) {
      passwords.put("user-" + i, "password-" + i);
    }
    Path users = HtpasswdFiles.write(directory.resolve("htpasswd"), passwords);
    // The throttle would answer most of these attempts 429 without any bcrypt: set it out of the way.
    gateway = RunningGateway.start(directory, "  htpasswd:\n    path: " + users + "\n"
        + "  throttle:\n    accountfailures: 1000\n    addressfailures: 1000\n");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void unknownUserAndWrongPasswordTakeTheSameTime() throws Exception {
    for (int i = 0; i < 10; i++) {
      loginNanos("user-" + (i % USERS), "warm-up");
      loginNanos("warm-up-" + i, "warm-up");
    }
    long[] unknown = new long[SAMPLES];
    long[] wrong = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      // Alternate which kind goes first, so that drift in the machine's load favours neither.
      if (i % 2 == 0) {
        wrong[i] = loginNanos("user-" + (i % USERS), "not-the-password");
        unknown[i] = loginNanos("nobody-" + i, "not-the-password");
      } else {
        unknown[i] = loginNanos("nobody-" + i, "not-the-password");
        wrong[i] = loginNanos("user-" + (i % USERS), "not-the-password");
      }
    }
    double unknownMs = median(unknown) / 1e6;
    double wrongMs = median(wrong) / 1e6;
    String medians = String.format("median unknown user %.2f ms, wrong password %.2f ms", unknownMs, wrongMs);
    System.out.println("[LoginTimingTest registry] " + medians);
    assertTrue(Math.abs(unknownMs - wrongMs) < 0.2 * Math.min(unknownMs, wrongMs), medians);
  }

  private static long loginNanos(String user, String password) throws Exception {
    long start = System.nanoTime();
    int status = gateway.send(gateway.request(HttpMethod.GET, "/v2/")
        .putHeader("Authorization", HtpasswdAuthTest.basic(user, password))).statusCode();
    long elapsed = System.nanoTime() - start;
    assertEquals(401, status, user);
    return elapsed;
  }

  static long median(long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
