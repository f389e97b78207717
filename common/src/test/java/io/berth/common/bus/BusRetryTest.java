package io.berth.common.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BusRetryTest {
  /** Requests a departure failed together are spread out again, within half a pause either way. */
  @Test
  void pausesAfterNoHandlerVaryAroundThePause() {
    Set<Long> pauses = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      long pause = BusRetry.pauseAfter(new ReplyException(ReplyFailure.NO_HANDLERS, "none"));
      assertTrue(pause >= BusRetry.PAUSE_MS / 2 && pause <= BusRetry.PAUSE_MS * 3 / 2, "pause " + pause);
      pauses.add(pause);
    }
    assertTrue(pauses.size() > 20, "pauses " + pauses);
  }

  @Test
  void noPauseAfterATimeoutWhichHasWaitedAlready() {
    assertEquals(0, BusRetry.pauseAfter(new ReplyException(ReplyFailure.TIMEOUT, "late")));
    assertTrue(BusRetry.pauseAfter(new BusRetry.MemberLeft()) >= BusRetry.PAUSE_MS / 2);
  }
}
