package io.berth.common.bus;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Errors across a real local event bus: the consumer fails with BusErrors, the requester maps back. */
@ExtendWith(VertxExtension.class)
class BusErrorsTest {
  private static Vertx vertx;
  private static BusClient client;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
    client = new BusClient(vertx.eventBus());
  }

  /** Registers a consumer that fails every request with {@code failure}; answers its address. */
  private static String failingConsumer(Throwable failure) {
    String address = "test." + UUID.randomUUID();
    result(vertx.eventBus().consumer(address, message -> BusErrors.fail(message, failure)).completion());
    return address;
  }

  @ParameterizedTest
  @EnumSource(ErrorCode.class)
  void everyErrorCodeSurvivesTheBusWithItsMessage(ErrorCode code) {
    String address = failingConsumer(new RegistryException(code, "message for " + code));

    RegistryException error = failsWith(code, client.request(address, new JsonObject()));

    assertEquals("message for " + code, error.getMessage());
    assertNull(error.detail());
  }

  @Test
  void textDetailSurvivesTheBus() {
    String address = failingConsumer(new RegistryException(ErrorCode.BLOB_UNKNOWN, "no such blob", "sha256:abc"));

    RegistryException error = failsWith(ErrorCode.BLOB_UNKNOWN, client.request(address, new JsonObject()));

    assertEquals("no such blob", error.getMessage());
    assertEquals("sha256:abc", error.detail());
  }

  @Test
  void structuredDetailSurvivesTheBus() {
    JsonObject detail = new JsonObject().put("size", 12).put("name", "x");
    String address = failingConsumer(new RegistryException(ErrorCode.SIZE_INVALID, "wrong size", detail));

    RegistryException error = failsWith(ErrorCode.SIZE_INVALID, client.request(address, new JsonObject()));

    assertEquals(detail, error.detail());
    assertEquals(new JsonObject().put("code", "SIZE_INVALID").put("message", "wrong size").put("detail", detail),
        error.toErrorJson());
  }

  @Test
  void codesSharingAnOciCodeKeepTheirOwnStatus() {
    String address = failingConsumer(new RegistryException(ErrorCode.MANIFEST_TOO_LARGE));

    RegistryException error = failsWith(ErrorCode.MANIFEST_TOO_LARGE, client.request(address, new JsonObject()));

    assertEquals(413, error.errorCode().httpStatus());
    assertEquals("MANIFEST_INVALID", error.errorCode().code());
  }

  @Test
  void anUnexpectedConsumerFailureArrivesAsUnknown() {
    String address = failingConsumer(new IllegalStateException("disk on fire"));

    RegistryException error = failsWith(ErrorCode.UNKNOWN, client.request(address, new JsonObject()));

    assertEquals(500, error.errorCode().httpStatus());
  }

  @Test
  void aConsumerFailureThatIsNotOurJsonArrivesAsUnknown() {
    String address = "test." + UUID.randomUUID();
    result(vertx.eventBus().consumer(address, message -> message.fail(400, "plain text")).completion());

    failsWith(ErrorCode.UNKNOWN, client.request(address, new JsonObject()));
  }

  @Test
  void aRequestNobodyAnswersInTimeIsUnavailable() {
    String address = "test." + UUID.randomUUID();
    result(vertx.eventBus().consumer(address, message -> { }).completion());

    failsWith(ErrorCode.UNAVAILABLE, new BusClient(vertx.eventBus(), 100).request(address, new JsonObject()));
  }

  @Test
  void aRequestToAnAddressWithoutConsumersIsUnavailable() {
    failsWith(ErrorCode.UNAVAILABLE, client.request("test.nobody." + UUID.randomUUID(), new JsonObject()));
  }

  @ParameterizedTest
  @EnumSource(value = ReplyFailure.class, names = {"TIMEOUT", "NO_HANDLERS"})
  void timeoutAndNoHandlersMapToUnavailable(ReplyFailure failure) {
    RegistryException error = BusErrors.asRegistryException(new ReplyException(failure, "gone"));

    assertEquals(ErrorCode.UNAVAILABLE, error.errorCode());
    assertEquals(503, error.errorCode().httpStatus());
  }

  @Test
  void aRegistryExceptionMapsToItself() {
    RegistryException original = new RegistryException(ErrorCode.DENIED);

    assertSame(original, BusErrors.asRegistryException(original));
  }

  @Test
  void anythingElseMapsToUnknownKeepingTheCause() {
    IOException cause = new IOException("broken pipe");

    RegistryException error = BusErrors.asRegistryException(cause);

    assertEquals(ErrorCode.UNKNOWN, error.errorCode());
    assertEquals(500, error.errorCode().httpStatus());
    assertSame(cause, error.getCause());
  }

  @Test
  void aRecipientFailureWithAnUnknownCodeNameMapsToUnknown() {
    ReplyException reply = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 418,
        new JsonObject().put("error", "TEAPOT").put("message", "short and stout").encode());

    RegistryException error = BusErrors.asRegistryException(reply);

    assertEquals(ErrorCode.UNKNOWN, error.errorCode());
  }

  /** As the storage driver meets them: bare from java.nio, or wrapped by Vert.x's file system API. */
  static Stream<Throwable> storageRefusals() {
    return Stream.of(
        new AccessDeniedException("/var/lib/registry/docker/registry/v2/repositories"),
        new io.vertx.core.file.FileSystemException(new AccessDeniedException("/var/lib/registry/_uploads")),
        new FileSystemException("/var/lib/registry/docker", null, "Operation not permitted"),
        new FileSystemException("/var/lib/registry/docker", null, "Read-only file system"));
  }

  @ParameterizedTest
  @MethodSource("storageRefusals")
  void aStorageThatRefusesAccessIsUnavailableNotAnUnknownError(Throwable refusal) {
    String address = failingConsumer(refusal);

    RegistryException error = failsWith(ErrorCode.UNAVAILABLE, client.request(address, new JsonObject()));

    assertEquals(503, error.errorCode().httpStatus());
    assertEquals("storage refused access", error.getMessage());
  }

  @Test
  void otherFileSystemFailuresStayUnknown() {
    RegistryException error = BusErrors.asRegistryException(
        new FileSystemException("/var/lib/registry", null, "No space left on device"));

    assertEquals(ErrorCode.UNKNOWN, error.errorCode());
  }
}
