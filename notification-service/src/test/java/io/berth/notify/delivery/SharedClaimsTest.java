package io.berth.notify.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Await;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.OnContext;
import io.berth.notify.delivery.DeliveryClaims.Outcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The claim protocol on Vert.x's local shared data (the same {@code AsyncMap} contract as the cluster-wide one): two
 * instances, "a" and "b", each on a context of its own as each verticle is, ask about the same events of endpoint "ci".
 */
@ExtendWith(VertxExtension.class)
class SharedClaimsTest {
  private static final ClaimTimings TIMINGS =
      new ClaimTimings(Duration.ofMillis(300), Duration.ofHours(1), Duration.ofMillis(10));

  private Vertx vertx;
  private AsyncMap<String, String> map;
  private Instance a;
  private Instance b;

  /** One instance's claims, driven on its own context. */
  private record Instance(Context context, SharedClaims claims) {
    Outcome claim(String eventId) {
      return on(() -> claims.claim(eventId));
    }

    void done(String eventId) {
      on(() -> claims.done(eventId));
    }

    void release() {
      on(claims::release);
    }

    private <T> T on(Supplier<Future<T>> action) {
      return Await.result(OnContext.run(context, action));
    }
  }

  @BeforeEach
  void twoInstances(Vertx vertx) {
    this.vertx = vertx;
    map = Await.result(vertx.sharedData().getAsyncMap(SharedClaims.MAP));
    a = instance("a");
    b = instance("b");
  }

  private Instance instance(String id) {
    return new Instance(vertx.getOrCreateContext(), new SharedClaims(vertx, map, "ci", id, TIMINGS));
  }

  @Test
  void theFirstToAskDeliversAndTheOtherIsToldToWait() {
    assertEquals(Outcome.MINE, a.claim("e1"));
    assertEquals(Outcome.TAKEN, b.claim("e1"));
    assertEquals(Outcome.MINE, a.claim("e1"), "asking again before a retry renews the claim");
    assertEquals("a", Await.result(map.get("ci/e1")));
  }

  @Test
  void anEventMarkedDoneIsSkippedByEveryInstance() {
    a.claim("e1");
    a.done("e1");

    assertEquals(Outcome.DONE, b.claim("e1"));
    assertEquals(Outcome.DONE, a.claim("e1"));
    assertEquals("done", Await.result(map.get("ci/e1")));
  }

  @Test
  void claimsAreKeptPerEndpoint() {
    a.claim("e1");
    SharedClaims audit = new SharedClaims(vertx, map, "audit", "b", TIMINGS);

    assertEquals(Outcome.MINE, Await.result(OnContext.run(b.context(), () -> audit.claim("e1"))));
  }

  @Test
  void aLiveHolderKeepsItsClaimPastTheLease() {
    a.claim("e1");

    Await.result(vertx.timer(3 * TIMINGS.lease().toMillis()));

    assertEquals(Outcome.TAKEN, b.claim("e1"));
  }

  @Test
  void aClaimWhoseHolderDiedLapsesAfterTheLeaseAndPassesToTheNextToAsk() {
    long leftAt = System.nanoTime();
    Await.result(map.put("ci/e1", "killed", TIMINGS.lease().toMillis()));
    assertEquals(Outcome.TAKEN, b.claim("e1"));

    Eventually.await(vertx, () -> OnContext.run(b.context(), () -> b.claims().claim("e1")),
        outcome -> outcome == Outcome.MINE);

    long waitedMs = (System.nanoTime() - leftAt) / 1_000_000;
    assertTrue(waitedMs >= TIMINGS.lease().toMillis(), "taken over after " + waitedMs + " ms");
    assertEquals("b", Await.result(map.get("ci/e1")));
  }

  @Test
  void aReleasedClaimIsFreeAtOnce() {
    a.claim("e1");
    a.release();

    assertEquals(Outcome.MINE, b.claim("e1"));
  }

  @Test
  void claimingTheNextEventGivesUpTheOneHeld() {
    // The held event left this instance's queue unsent (dropped past maxevents): another may still deliver it.
    a.claim("e1");
    a.claim("e2");

    assertEquals(Outcome.MINE, b.claim("e1"));
    assertEquals(Outcome.TAKEN, b.claim("e2"));
  }

  @Test
  void aHolderThatLostItsClaimStopsRenewingAndNeverOverwritesTheNewHolder() {
    a.claim("e1");
    // As if a's lease had lapsed during a stall and b had taken the event over (b renews it: it stays).
    Await.result(map.put("ci/e1", "b"));

    assertEquals(Outcome.TAKEN, a.claim("e1"));
    Await.result(vertx.timer(TIMINGS.lease().toMillis()));
    assertEquals("b", Await.result(map.get("ci/e1")));
  }

  @Test
  void withoutAClusterEveryEventIsThisInstancesToSend() {
    DeliveryClaims none = DeliveryClaims.none();

    assertEquals(Outcome.MINE, Await.result(none.claim("e1")));
    assertEquals(Outcome.MINE, Await.result(none.claim("e1")));
  }
}
