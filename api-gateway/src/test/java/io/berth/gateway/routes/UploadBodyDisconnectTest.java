package io.berth.gateway.routes;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.StreamOpened;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.UploadId;
import io.berth.gateway.bus.BlobServiceClient;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client that hangs up while the gateway waits for the blob service to open the session's stream (slow during a
 * member's departure: up to the write grace) must not leave the gateway's side of the stream waiting forever: the
 * pipe into the {@link io.berth.common.bus.ChunkSender} has to end, or each such request leaks the request, the
 * sender and (clustered) its departure listener.
 */
@ExtendWith(VertxExtension.class)
class UploadBodyDisconnectTest {
  @Test
  void aClientThatHangsUpBeforeTheStreamOpensEndsTheStream(Vertx vertx) throws Exception {
    Promise<Message<JsonObject>> opening = Promise.promise();
    vertx.eventBus().<JsonObject>consumer(Addresses.UPLOAD_WRITE, opening::tryComplete);
    vertx.eventBus().consumer("test.stream", message -> message.reply(null));
    Promise<Void> hungUp = Promise.promise();
    Promise<Future<JsonObject>> streaming = Promise.promise();
    UploadBody body = new UploadBody(vertx, new BlobServiceClient(new BusClient(vertx.eventBus())));
    HttpServer server = result(vertx.createHttpServer().requestHandler(request -> {
      request.connection().closeHandler(v -> hungUp.tryComplete());
      streaming.complete(body.stream(request, new UploadRequest("team/app",
          UploadId.parse("4f1e8c52-9d3a-4b7e-8f00-0123456789ab"), -1, null), RequestInfo.NONE));
    }).listen(0, "127.0.0.1"));
    NetSocket socket = result(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
    result(socket.write(Buffer.buffer("PATCH /v2/team/app/blobs/uploads/x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Length: 100\r\nContent-Type: application/octet-stream\r\n\r\n0123456789")));
    Message<JsonObject> open = result(opening.future());
    result(socket.close());
    result(hungUp.future());
    open.reply(new StreamOpened("test.stream").toJson());
    Future<JsonObject> streamed = result(streaming.future());
    CountDownLatch ended = new CountDownLatch(1);
    streamed.onComplete(done -> ended.countDown());
    assertTrue(ended.await(10, TimeUnit.SECONDS), "the stream never ended after the client hung up");
  }
}
