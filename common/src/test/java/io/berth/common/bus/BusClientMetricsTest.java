package io.berth.common.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.metrics.Metrics;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every request a BusClient makes is timed by address and outcome, on a real local event bus. */
@ExtendWith(VertxExtension.class)
class BusClientMetricsTest {
  private static Vertx vertx;
  private Metrics metrics;
  private BusClient client;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  @BeforeEach
  void meteredClient() {
    metrics = Metrics.prometheus();
    client = new BusClient(vertx.eventBus(), 2_000, metrics);
  }

  private static String consumer(Future<JsonObject> answer) {
    String address = "test." + UUID.randomUUID();
    result(BusConsumers.register(vertx.eventBus(), address, body -> answer).completion());
    return address;
  }

  private Timer timer(String address, String outcome) {
    return metrics.registry().find("berth.bus.request").tags("address", address, "outcome", outcome).timer();
  }

  @Test
  void aRepliedRequestIsTimedAsSuccess() {
    String address = consumer(Future.succeededFuture(new JsonObject()));

    result(client.request(address, new JsonObject()));
    result(client.request(address, new JsonObject()));

    assertEquals(2, timer(address, "success").count());
  }

  @Test
  void aFailedRequestIsTimedUnderItsErrorCode() {
    String address = consumer(Future.failedFuture(new RegistryException(ErrorCode.BLOB_UNKNOWN)));

    failsWith(ErrorCode.BLOB_UNKNOWN, client.request(address, new JsonObject()));

    assertEquals(1, timer(address, "blob_unknown").count());
    assertNull(timer(address, "success"));
  }

  @Test
  void anAddressWithoutConsumerIsTimedAsUnavailable() {
    String address = "test.nobody." + UUID.randomUUID();

    failsWith(ErrorCode.UNAVAILABLE, client.request(address, new JsonObject()));

    assertEquals(1, timer(address, "unavailable").count());
  }
}
