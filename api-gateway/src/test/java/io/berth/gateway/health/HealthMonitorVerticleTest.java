package io.berth.gateway.health;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.HealthStatus;
import io.berth.common.config.HealthConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Eventually;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway's view of the storage check, kept from a blob service's answers on a real local bus. */
class HealthMonitorVerticleTest {
  private static final int THRESHOLD = 3;

  private Vertx vertx;
  private final HealthState state = new HealthState();
  private final Metrics metrics = Metrics.prometheus();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  private void deployMonitor() {
    HealthConfig config = new HealthConfig(new HealthConfig.StorageDriverCheck(true, Duration.ofMillis(50), THRESHOLD));
    result(vertx.deployVerticle(new HealthMonitorVerticle(config, state, metrics)));
  }

  /** A blob service's health address answering whatever {@code answer} holds. */
  private MessageConsumer<JsonObject> blobService(AtomicReference<JsonObject> answer) {
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.HEALTH,
        message -> message.reply(answer.get()));
    result(consumer.completion());
    return consumer;
  }

  private double unanswered() {
    Counter counter = metrics.registry().find("berth.health.checks")
        .tags("check", HealthMonitorVerticle.BLOB_SERVICE, "outcome", "fail").counter();
    return counter == null ? 0 : counter.count();
  }

  private HealthStatus await(Predicate<HealthStatus> condition) {
    return Eventually.await(vertx, () -> Future.succeededFuture(state.current()), condition);
  }

  @Test
  void withoutAnyBlobServiceTheProcessIsUnhealthyFromItsFirstQuestion() {
    deployMonitor();

    HealthStatus status = state.current();

    assertEquals(Set.of(HealthMonitorVerticle.BLOB_SERVICE), status.failures().keySet(), status::toString);
  }

  @Test
  void theBlobServicesFailingChecksBecomeTheProcesssAndClearWithItsNextAnswer() {
    AtomicReference<JsonObject> answer = new AtomicReference<>(new JsonObject());
    blobService(answer);
    deployMonitor();
    assertTrue(state.current().healthy(), state.current()::toString);

    answer.set(new JsonObject().put("storagedriver_filesystem", "disk gone"));
    HealthStatus failing = await(status -> !status.healthy());

    assertEquals(Map.of("storagedriver_filesystem", "disk gone"), failing.failures());
    answer.set(new JsonObject());
    await(HealthStatus::healthy);
  }

  @Test
  void aBlobServiceThatAnsweredAndThenVanishedIsReportedOnlyAfterTheThreshold() {
    MessageConsumer<JsonObject> consumer = blobService(new AtomicReference<>(new JsonObject()));
    deployMonitor();
    result(consumer.unregister());
    double before = unanswered();

    HealthStatus failing = await(status -> !status.healthy());

    assertTrue(unanswered() - before >= THRESHOLD, "reported after " + (unanswered() - before) + " unanswered");
    assertTrue(failing.failures().containsKey(HealthMonitorVerticle.BLOB_SERVICE), failing::toString);
    blobService(new AtomicReference<>(new JsonObject()));
    await(HealthStatus::healthy);
  }
}
