package io.berth.common.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request for the process that owns something goes to that process's own address, which dispatches on the
 * operation it names; when the process is gone it goes to the shared address. On a real local event bus.
 */
@ExtendWith(VertxExtension.class)
class OwnerRequestTest {
  private static final RequestInfo CLIENT = new RequestInfo("req-1", "127.0.0.1:5000", "registry", "PATCH", "test",
      "alice");
  private static Vertx vertx;
  private Metrics metrics;
  private BusClient client;
  private String shared;
  private String owner;

  @BeforeAll
  static void useVertx(Vertx given) {
    vertx = given;
  }

  @BeforeEach
  void addresses() {
    metrics = Metrics.prometheus();
    client = new BusClient(vertx.eventBus(), 2_000, metrics);
    shared = "test.shared." + UUID.randomUUID();
    owner = "test.owner." + UUID.randomUUID();
    result(BusConsumers.registerWithRequest(vertx.eventBus(), shared, (body, request) ->
        Future.succeededFuture(new JsonObject().put("by", "shared").put("actor", request.actor()))).completion());
  }

  private MessageConsumer<JsonObject> registerOwner() {
    MessageConsumer<JsonObject> consumer = BusConsumers.registerOperations(vertx.eventBus(), owner, Map.of(shared,
        (body, request) -> Future.succeededFuture(new JsonObject().put("by", "owner").put("actor", request.actor())
            .put("echo", body.getString("echo")))));
    result(consumer.completion());
    return consumer;
  }

  @Test
  void theOwnerAnswersTheOperationItIsAskedForWithTheClientRequestAlong() {
    registerOwner();

    JsonObject answer = result(client.request(owner, shared, new JsonObject().put("echo", "x"), CLIENT));

    assertEquals(new JsonObject().put("by", "owner").put("actor", "alice").put("echo", "x"), answer);
  }

  @Test
  void anOwnerThatIsGoneHandsTheRequestToTheSharedAddress() {
    result(registerOwner().unregister());

    JsonObject answer = result(client.request(owner, shared, new JsonObject(), CLIENT));

    assertEquals(new JsonObject().put("by", "shared").put("actor", "alice"), answer);
    assertEquals(1, metrics.registry().find("berth.bus.request").tags("address", shared, "outcome", "success")
        .timer().count());
    assertNull(metrics.registry().find("berth.bus.request").tags("address", owner).timer());
  }

  @Test
  void anOwnersFailureIsTheAnswerAndIsNotRetriedElsewhere() {
    result(BusConsumers.registerOperations(vertx.eventBus(), owner, Map.of(shared, (body, request) ->
        Future.failedFuture(new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, "busy")))).completion());

    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, client.request(owner, shared, new JsonObject(), CLIENT));
  }

  @Test
  void anOperationTheOwnerDoesNotServeIsAnInternalError() {
    registerOwner();

    failsWith(ErrorCode.UNKNOWN, client.request(owner, "test.other", new JsonObject(), CLIENT));
  }

  @Test
  void withNeitherTheOwnerNorTheSharedAddressServedTheRequestIsUnavailable() {
    failsWith(ErrorCode.UNAVAILABLE, client.request(owner, "test.nobody." + UUID.randomUUID(), new JsonObject(),
        CLIENT));
  }
}
