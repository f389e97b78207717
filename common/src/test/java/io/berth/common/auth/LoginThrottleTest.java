package io.berth.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.LoginThrottleConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic on a clock of the test's own: buckets, refunds, Retry-After, limits that are off. */
class LoginThrottleTest {
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final LoginThrottle throttle = new LoginThrottle(new LoginThrottleConfig(3, 5, Duration.ofSeconds(60)),
      clock::get);

  @Test
  void accountPastItsFailuresIsRefusedUntilOneFailureIsRefilled() {
    for (int i = 0; i < 3; i++) {
      throttle.begin("bob", "192.0.2.1");
    }

    LoginThrottled refused = assertThrows(LoginThrottled.class, () -> throttle.begin("bob", "192.0.2.2"));
    assertEquals(LoginThrottled.Scope.ACCOUNT, refused.scope());
    assertEquals(20, refused.retryAfterSeconds());
    clock.addAndGet(TimeUnit.SECONDS.toNanos(19));
    assertThrows(LoginThrottled.class, () -> throttle.begin("bob", "192.0.2.2"));
    clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
    throttle.begin("bob", "192.0.2.2");
  }

  @Test
  void addressPastItsFailuresIsRefusedForEveryAccountAndTheAccountKeepsItsAttempt() {
    for (int i = 0; i < 5; i++) {
      throttle.begin("guess-" + i, "192.0.2.1");
    }

    LoginThrottled refused = assertThrows(LoginThrottled.class, () -> throttle.begin("alice", "192.0.2.1"));
    assertEquals(LoginThrottled.Scope.ADDRESS, refused.scope());
    assertEquals(12, refused.retryAfterSeconds());
    for (int i = 0; i < 3; i++) {
      throttle.begin("alice", "192.0.2.9").notFailed();
    }
    throttle.begin("alice", "192.0.2.9");
  }

  @Test
  void successGivesBackOnlyItsOwnAttemptNeverTheFailuresBeforeIt() {
    for (int i = 0; i < 4; i++) {
      throttle.begin("guess-" + i, "192.0.2.1");
    }
    throttle.begin("mallory", "192.0.2.1").notFailed();
    throttle.begin("guess-4", "192.0.2.1");

    assertEquals(LoginThrottled.Scope.ADDRESS,
        assertThrows(LoginThrottled.class, () -> throttle.begin("mallory", "192.0.2.1")).scope());
  }

  @Test
  void attemptsInFlightCountBeforeTheirOutcomeIsKnown() {
    for (int i = 0; i < 3; i++) {
      throttle.begin("bob", "192.0.2." + i);
    }

    assertThrows(LoginThrottled.class, () -> throttle.begin("bob", "192.0.2.9"));
  }

  @Test
  void anAttemptIsTrustedOnlyAfterItsAccountLoggedInRightFromItsAddress() {
    assertFalse(throttle.begin("carol", "192.0.2.3").trusted(), "no success yet");
    throttle.begin("carol", "192.0.2.3").succeeded();
    assertTrue(throttle.begin("carol", "192.0.2.3").trusted(), "a success from this address");
    assertFalse(throttle.begin("carol", "192.0.2.4").trusted(), "another address");
    throttle.begin("dave", "192.0.2.5").notFailed();
    assertFalse(throttle.begin("dave", "192.0.2.5").trusted(), "no check is no success");
    clock.addAndGet(LoginThrottle.TRUSTED_FOR.toNanos() + 1);
    assertFalse(throttle.begin("carol", "192.0.2.3").trusted(), "trust lapses");
  }

  /**
   * Found attacking the #10 hardening: a guesser that waits for its address's bucket to refill (one failure per
   * window / addressfailures: 2 s with the defaults) and makes up a fresh user name each time has every attempt
   * "clean", so its checks wait in the priority queue beside the right-password logins they should never delay.
   * Measured: 60 loopback addresses, each with one attempt in flight (a made-up name each, cost-10 file, one bcrypt
   * thread): a right-password login from an address and account with no failure took 4.3 to 6.8 s. Fails until the
   * priority is given by something a guesser cannot earn (a recent success of the account from the address).
   */
  @Test
  void aGuesserPacedAtTheRefillRateWithMadeUpNamesIsNeverClean() {
    throttle.begin("guess-0", "192.0.2.66");
    for (int i = 1; i <= 3; i++) {
      clock.addAndGet(TimeUnit.SECONDS.toNanos(12));
      assertFalse(throttle.begin("guess-" + i, "192.0.2.66").trusted(), "paced guess " + i);
    }
  }

  @Test
  void zeroTurnsALimitOff() {
    LoginThrottle off = new LoginThrottle(new LoginThrottleConfig(0, 0, Duration.ofSeconds(60)), clock::get);

    for (int i = 0; i < 1000; i++) {
      off.begin("bob", "192.0.2.1");
    }
  }

  @Test
  void floodOfDistinctNamesAndAddressesKeepsAtMostTheBoundOfKeys() {
    for (int i = 0; i < 3 * LoginThrottle.MAX_KEYS; i++) {
      throttle.begin("made-up-" + i + "-" + "x".repeat(1000), "10." + (i >> 16) + "." + ((i >> 8) & 255) + "."
          + (i & 255));
    }

    assertTrue(throttle.keys() <= 2L * LoginThrottle.MAX_KEYS, "keys held: " + throttle.keys());
  }
}
