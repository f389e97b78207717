package io.berth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;

/**
 * The issuer answers a login of an unknown user as fast as one with a wrong password: response time must not tell
 * which user names exist. The file's hashes are cost 5, as {@code htpasswd -B} writes them.
 */
class LoginTimingTest {
  private static final int SAMPLES = 50;
  private static final int USERS = 10;

  @TempDir
  Path directory;
  private RunningIssuer issuer;

  @BeforeEach
  void start() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      lines.add("user-" + i + ":" + BCrypt.hashpw("password-" + i, BCrypt.gensalt(5)).replace("$2a$", "$2y$"));
    }
    Path users = Files.write(directory.resolve("htpasswd"), lines);
    // The throttle would answer most of these attempts 429 without any bcrypt: set it out of the way.
    issuer = RunningIssuer.start(directory.resolve("storage"), RunningIssuer.standardSection(users)
        .put("signing", new JsonObject().put("algorithm", "ES256"))
        .put("throttle", new JsonObject().put("accountfailures", 1000).put("addressfailures", 1000)));
  }

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  @Test
  void unknownUserAndWrongPasswordTakeTheSameTime() throws Exception {
    for (int i = 0; i < 10; i++) {
      loginNanos("user-" + (i % USERS));
      loginNanos("warm-up-" + i);
    }
    long[] unknown = new long[SAMPLES];
    long[] wrong = new long[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      // Alternate which kind goes first, so that drift in the machine's load favours neither.
      if (i % 2 == 0) {
        wrong[i] = loginNanos("user-" + (i % USERS));
        unknown[i] = loginNanos("nobody-" + i);
      } else {
        unknown[i] = loginNanos("nobody-" + i);
        wrong[i] = loginNanos("user-" + (i % USERS));
      }
    }
    double unknownMs = median(unknown) / 1e6;
    double wrongMs = median(wrong) / 1e6;
    String medians = String.format("median unknown user %.2f ms, wrong password %.2f ms", unknownMs, wrongMs);
    System.out.println("[LoginTimingTest issuer] " + medians);
    assertTrue(Math.abs(unknownMs - wrongMs) < 0.2 * Math.min(unknownMs, wrongMs), medians);
  }

  private long loginNanos(String user) throws Exception {
    long start = System.nanoTime();
    int status = issuer.get("/token?" + RunningIssuer.query("service", RunningIssuer.SERVICE),
        "Authorization", RunningIssuer.basic(user, "not-the-password")).statusCode();
    long elapsed = System.nanoTime() - start;
    assertEquals(401, status, user);
    return elapsed;
  }

  private static long median(long[] samples) {
    long[] sorted = samples.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
