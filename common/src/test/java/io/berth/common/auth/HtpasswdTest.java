package io.berth.common.auth;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.LoggerFactory;

/** The htpasswd file as other tools write it: every bcrypt prefix, long passwords, lines that hold no usable hash. */
@ExtendWith(VertxExtension.class)
class HtpasswdTest {
  @TempDir
  Path directory;

  @Test
  void hashesOfEveryBcryptPrefixMatchTheirPasswordAndNoOther(Vertx vertx) throws Exception {
    String hash = BCrypt.hashpw("secret", BCrypt.gensalt(5));
    Htpasswd users = write(vertx, "a:" + hash, "y:" + hash.replace("$2a$", "$2y$"), "b:" + hash.replace("$2a$", "$2b$"));

    for (String user : List.of("a", "y", "b")) {
      assertEquals(Htpasswd.Check.MATCH, result(users.verify(user, "secret", true)), user);
      assertEquals(Htpasswd.Check.WRONG_PASSWORD, result(users.verify(user, "Secret", true)), user);
    }
    assertEquals(Htpasswd.Check.UNKNOWN_USER, result(users.verify("nobody", "secret", true)));
  }

  @Test
  void passwordsLongerThanBcryptReadsMatchOnTheirFirst72BytesAsEveryOtherImplementationDoes(Vertx vertx)
      throws Exception {
    String longPassword = "p".repeat(71) + "q" + "tail that bcrypt never reads";
    Htpasswd users = write(vertx, "ci:" + BCrypt.hashpw(longPassword, BCrypt.gensalt(4)).replace("$2a$", "$2y$"));

    assertEquals(Htpasswd.Check.MATCH, result(users.verify("ci", longPassword, true)));
    assertEquals(Htpasswd.Check.MATCH, result(users.verify("ci", "p".repeat(71) + "q", true)));
    assertEquals(Htpasswd.Check.WRONG_PASSWORD, result(users.verify("ci", "p".repeat(71) + "r", true)));
    assertEquals(Htpasswd.Check.WRONG_PASSWORD, result(users.verify("ci", "p".repeat(71), true)));
  }

  @Test
  void linesWithoutAUsableHashAreReportedOnceAtWarnByLineNumberNeverWithTheHash(Vertx vertx) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(Htpasswd.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      Htpasswd users = write(vertx, "# comment", "alice:" + BCrypt.hashpw("secret", BCrypt.gensalt(4)),
          "truncated:$2", "md5:$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/", "no colon here", "",
          "cost:$2a$99$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234");

      for (int i = 0; i < 3; i++) {
        assertEquals(Htpasswd.Check.UNUSABLE_HASH, result(users.verify("truncated", "$2", true)));
        assertEquals(Htpasswd.Check.UNUSABLE_HASH, result(users.verify("md5", "secret", true)));
        assertEquals(Htpasswd.Check.UNUSABLE_HASH, result(users.verify("cost", "secret", true)));
      }
      assertEquals(Htpasswd.Check.MATCH, result(users.verify("alice", "secret", true)));
      assertFalse(result(users.contains("truncated")), "an unusable line keeps no refresh token alive");
      assertTrue(result(users.contains("alice")));
    } finally {
      logger.detachAppender(logs);
    }

    List<String> warnings = new ArrayList<>();
    for (ILoggingEvent event : logs.list) {
      if (event.getLevel() == Level.WARN) {
        warnings.add(event.getFormattedMessage());
      }
    }
    assertEquals(4, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).contains("line: 3") && warnings.get(0).contains("user: truncated"), warnings.get(0));
    assertTrue(warnings.get(1).contains("line: 4"), warnings.get(1));
    assertTrue(warnings.get(2).contains("line: 5"), warnings.get(2));
    assertTrue(warnings.get(3).contains("line: 7"), warnings.get(3));
    assertTrue(warnings.stream().noneMatch(warning -> warning.contains("$")), warnings.toString());
  }

  @Test
  void checksPastTheProcessBoundAreRefusedAtOnceAndTheOthersComplete(Vertx vertx) throws Exception {
    Htpasswd users = write(vertx, "alice:" + BCrypt.hashpw("secret", BCrypt.gensalt(4)));
    result(users.verify("alice", "secret", true));
    BcryptWorkers workers = BcryptWorkers.of(vertx);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<Object>> blockers = occupy(workers, Runtime.getRuntime().availableProcessors(), release);
    List<Future<Htpasswd.Check>> pending = new ArrayList<>();
    for (int i = 0; i < BcryptWorkers.MAX_PENDING; i++) {
      pending.add(users.verify("alice", "secret", true));
    }

    LoginThrottled refused = assertInstanceOf(LoginThrottled.class,
        failure(users.verify("alice", "secret", true)));
    assertEquals(LoginThrottled.Scope.PROCESS, refused.scope());
    release.countDown();
    for (Future<Htpasswd.Check> check : pending) {
      assertEquals(Htpasswd.Check.MATCH, result(check));
    }
    blockers.forEach(blocker -> result(blocker));
    assertEquals(Htpasswd.Check.MATCH, result(users.verify("alice", "secret", true)));
  }

  @Test
  void aFloodFillingTheUntrustedPlacesLeavesTheTrustedLoginsTheirOwn(Vertx vertx) throws Exception {
    Htpasswd users = write(vertx, "alice:" + BCrypt.hashpw("secret", BCrypt.gensalt(4)));
    result(users.verify("alice", "secret", true));
    BcryptWorkers workers = BcryptWorkers.of(vertx);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<Object>> blockers = occupy(workers, Runtime.getRuntime().availableProcessors(), release);
    List<Future<Htpasswd.Check>> flood = new ArrayList<>();
    for (int i = 0; i < BcryptWorkers.MAX_PENDING; i++) {
      flood.add(users.verify("mallory", "guess", false));
    }
    assertInstanceOf(LoginThrottled.class, failure(users.verify("mallory", "guess", false)));

    Future<Htpasswd.Check> trusted = users.verify("alice", "secret", true);
    release.countDown();
    assertEquals(Htpasswd.Check.MATCH, result(trusted));
    flood.forEach(check -> result(check));
    blockers.forEach(blocker -> result(blocker));
  }

  @Test
  void checksOfTrustedLoginsGoAheadOfTheOthersWaiting(Vertx vertx) throws Exception {
    BcryptWorkers workers = BcryptWorkers.of(vertx);
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    CountDownLatch release = new CountDownLatch(1);
    List<Future<Object>> blockers = occupy(workers, threads, release);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<Future<Boolean>> checks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String name = "after-failures-" + i;
      checks.add(workers.check(false, () -> order.add(name)));
    }
    checks.add(workers.check(true, () -> order.add("trusted")));

    release.countDown();
    checks.forEach(check -> result(check));
    blockers.forEach(blocker -> result(blocker));
    assertTrue(order.indexOf("trusted") < threads, order.toString());
  }

  private Htpasswd write(Vertx vertx, String... lines) throws Exception {
    return new Htpasswd(vertx, Files.write(directory.resolve("htpasswd"), List.of(lines)));
  }

  /** Holds {@code count} of the pool's threads until {@code release}, so that checks queue behind them. */
  private static List<Future<Object>> occupy(BcryptWorkers workers, int count, CountDownLatch release) {
    List<Future<Object>> blockers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      blockers.add(workers.run(() -> {
        release.await();
        return null;
      }));
    }
    return blockers;
  }
}
