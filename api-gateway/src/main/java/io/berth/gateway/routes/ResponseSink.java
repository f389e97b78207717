package io.berth.gateway.routes;

import io.berth.common.bus.ChunkReceiver;
import io.berth.common.bus.message.Empty;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Receives a blob from the bus into an HTTP response; a chunk is acknowledged once the socket has taken it. */
final class ResponseSink implements ChunkReceiver.Sink {
  private final HttpServerResponse response;

  ResponseSink(HttpServerResponse response) {
    this.response = response;
  }

  @Override
  public Future<Void> write(Buffer chunk) {
    return response.write(chunk);
  }

  @Override
  public Future<JsonObject> finish() {
    return response.end().map(new Empty().toJson());
  }

  @Override
  public void abort() {
    response.reset();
  }
}
