package io.berth.gateway.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.BusErrors;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.testing.OnContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A manifest delete still unanswered when a member left is failed as retriable after the write grace, though the
 * instance that took it may have deleted the manifest: the gateway asks once more, and "unknown" then is the delete
 * done. A stub manifest service on a real local bus that deletes but answers too late plays that instance.
 */
class ManifestDeleteAfterDepartureTest {
  private static final String SHA = "sha256:" + "ab".repeat(32);

  private Vertx vertx;
  private ManifestServiceClient manifests;
  private final AtomicInteger deletes = new AtomicInteger();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    manifests = new ManifestServiceClient(new BusClient(vertx.eventBus()));
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The first delete is done but never answered; any later one finds nothing to delete. */
  private void slowThenGone() throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.MANIFEST_DELETE, message -> {
      if (deletes.incrementAndGet() > 1) {
        BusErrors.fail(message, new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: " + SHA));
      }
    }).completion().await(5, TimeUnit.SECONDS);
  }

  private Future<Void> deleteWhileAMemberLeaves() {
    return OnContext.run(vertx.getOrCreateContext(), () -> {
      Future<Void> deleted = manifests.delete("team/app", SHA, RequestInfo.NONE);
      vertx.setTimer(100, id -> vertx.eventBus().publish(Addresses.MEMBER_LEFT, "departed-node"));
      return deleted;
    });
  }

  @Test
  void aDeleteUnansweredAfterADepartureThatFindsNothingOnItsSecondAskIsDone() throws Exception {
    slowThenGone();

    result(deleteWhileAMemberLeaves());

    assertEquals(2, deletes.get());
  }

  @Test
  void aDeleteAnsweredUnknownAtOnceStaysUnknown() throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.MANIFEST_DELETE, message -> {
      deletes.incrementAndGet();
      BusErrors.fail(message, new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown: " + SHA));
    }).completion().await(5, TimeUnit.SECONDS);

    failsWith(ErrorCode.MANIFEST_UNKNOWN, deleteWhileAMemberLeaves());

    assertEquals(1, deletes.get());
  }
}
