package io.berth.common.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The minimum body rate, judged over windows of time spent waiting for the client. */
class BodyRateTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  @Test
  void aWindowBelowTheRateIsTooSlowAndOnlyOnceAWholeWindowHasPassed() {
    BodyRate rate = new BodyRate(1024, 30 * SECOND);
    rate.received(1000);

    assertFalse(rate.waited(29 * SECOND), "judged before the window was full");
    assertTrue(rate.waited(SECOND), "1000 bytes in 30 s is below 1024 bytes/s");
  }

  @Test
  void burstsThatAverageTheRatePassAndEachWindowStartsAfresh() {
    BodyRate rate = new BodyRate(1024, 10 * SECOND);
    for (int window = 0; window < 5; window++) {
      rate.received(10 * 1024);
      assertFalse(rate.waited(10 * SECOND), "window " + window);
    }
    assertTrue(rate.waited(10 * SECOND), "a window without bytes");
  }
}
