package io.berth.gateway.bus;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.BusConsumers;
import io.berth.common.bus.UploadIds;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.UploadId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the gateway sends the operations on an existing upload session: to the blob-service process its id names,
 * else (that process gone, or an id not in our form) to the shared addresses. Stub services on a real local bus
 * answer who they are.
 */
class BlobServiceClientTest {
  private static final String PROCESS = "0123456789ab";
  private static final UploadId OURS = UploadIds.newUuid(PROCESS);
  /** A version-4 id as distribution creates them, whose last group happens to be the process id. */
  private static final UploadId DISTRIBUTIONS = UploadId.parse("4f1e8c52-0000-4000-8000-" + PROCESS);

  private Vertx vertx;
  private BlobServiceClient blobs;
  private MessageConsumer<JsonObject> owner;
  /** Who answered each status request, and which operation it took it for. */
  private final List<String> statusAnswers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void stubServices() throws Exception {
    vertx = Vertx.vertx();
    blobs = new BlobServiceClient(new BusClient(vertx.eventBus(), 5_000));
    for (String address : List.of(Addresses.UPLOAD_STATUS, Addresses.UPLOAD_WRITE, Addresses.UPLOAD_CANCEL)) {
      BusConsumers.register(vertx.eventBus(), address, body -> answer("shared", address, body))
          .completion().await(5, TimeUnit.SECONDS);
    }
    owner = BusConsumers.registerOperations(vertx.eventBus(), Addresses.uploadOwner(PROCESS), Map.of(
        Addresses.UPLOAD_STATUS, (body, client) -> answer("owner", Addresses.UPLOAD_STATUS, body),
        Addresses.UPLOAD_WRITE, (body, client) -> answer("owner", Addresses.UPLOAD_WRITE, body),
        Addresses.UPLOAD_CANCEL, (body, client) -> answer("owner", Addresses.UPLOAD_CANCEL, body)));
    owner.completion().await(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  /** Says who answered which operation, in the shape the client expects of that operation. */
  private Future<JsonObject> answer(String who, String operation, JsonObject body) {
    UploadId uuid = UploadRequest.fromJson(body).uuid();
    String said = who + " " + operation;
    return Future.succeededFuture(switch (operation) {
      case Addresses.UPLOAD_STATUS -> {
        statusAnswers.add(said);
        yield new UploadState(uuid, 0).toJson();
      }
      case Addresses.UPLOAD_WRITE -> new StreamOpened(said + " " + uuid).toJson();
      default -> new JsonObject();
    });
  }

  private String status(UploadId uuid) {
    assertEquals(uuid, result(blobs.status("team/app", uuid, RequestInfo.NONE)).uuid());
    return statusAnswers.get(statusAnswers.size() - 1);
  }

  private String openWrite(UploadId uuid) {
    return result(blobs.openWrite(new UploadRequest("team/app", uuid, 0, null), RequestInfo.NONE));
  }

  @Test
  void operationsOnOurSessionGoToTheProcessThatOpenedIt() {
    assertEquals("owner " + Addresses.UPLOAD_STATUS, status(OURS));
    assertEquals("owner " + Addresses.UPLOAD_WRITE + " " + OURS, openWrite(OURS));
  }

  @Test
  void operationsOnASessionWhoseProcessIsGoneGoToTheSharedAddresses() throws Exception {
    owner.unregister().await(5, TimeUnit.SECONDS);

    assertEquals("shared " + Addresses.UPLOAD_STATUS, status(OURS));
    assertEquals("shared " + Addresses.UPLOAD_WRITE + " " + OURS, openWrite(OURS));
    result(blobs.cancel("team/app", OURS, RequestInfo.NONE));
  }

  @Test
  void operationsOnASessionIdNotInOurFormGoToTheSharedAddresses() {
    assertEquals("shared " + Addresses.UPLOAD_STATUS, status(DISTRIBUTIONS));
    assertEquals("shared " + Addresses.UPLOAD_WRITE + " " + DISTRIBUTIONS, openWrite(DISTRIBUTIONS));
  }
}
