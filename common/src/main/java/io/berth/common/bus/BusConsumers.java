package io.berth.common.bus;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Registers a future-returning handler as a bus consumer: it replies with the handler's JSON or fails with its error. */
public final class BusConsumers {
  private BusConsumers() {
  }

  public static MessageConsumer<JsonObject> register(EventBus bus, String address,
      Function<JsonObject, Future<JsonObject>> handler) {
    return registerWithRequest(bus, address, (body, request) -> handler.apply(body));
  }

  /** For a handler that reports the client request behind the message (its headers; {@link RequestInfo#NONE} if none). */
  public static MessageConsumer<JsonObject> registerWithRequest(EventBus bus, String address,
      BiFunction<JsonObject, RequestInfo, Future<JsonObject>> handler) {
    return bus.consumer(address, message -> answer(message, handler));
  }

  /**
   * One address serving several operations, each message naming its own in {@link Addresses#OPERATION_HEADER} by
   * the shared address of that operation (see {@link BusClient#request(String, String, JsonObject, RequestInfo)}).
   */
  public static MessageConsumer<JsonObject> registerOperations(EventBus bus, String address,
      Map<String, BiFunction<JsonObject, RequestInfo, Future<JsonObject>>> operations) {
    return bus.consumer(address, message -> {
      String operation = message.headers().get(Addresses.OPERATION_HEADER);
      answer(message, operations.getOrDefault(operation, (body, request) -> Future.failedFuture(new RegistryException(
          ErrorCode.UNKNOWN, "no operation " + operation + " on " + address))));
    });
  }

  private static void answer(Message<JsonObject> message,
      BiFunction<JsonObject, RequestInfo, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      reply = handler.apply(message.body(), RequestInfo.from(message.headers()));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(message::reply).onFailure(failure -> BusErrors.fail(message, failure));
  }
}
