package io.berth.launcher.e2e;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A webhook endpoint on 127.0.0.1: a real Vert.x HTTP server that answers 200 to every request and records its
 * headers and exact body bytes, so a test can await the notifications a registry sends.
 */
final class WebhookReceiver implements AutoCloseable {
  private static final long WAIT_SECONDS = 20;

  /** One request as it arrived, and when ({@link System#nanoTime}). */
  record Delivery(String method, String path, MultiMap headers, Buffer body, long receivedNanos) {
    JsonObject json() {
      return body.toJsonObject();
    }

    /** The one event of distribution's envelope {@code {"events":[event]}}. */
    JsonObject event() {
      return json().getJsonArray("events").getJsonObject(0);
    }
  }

  private record Waiter(Predicate<List<Delivery>> condition, CompletableFuture<List<Delivery>> done) {
  }

  private final List<Delivery> deliveries = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final HttpServer server;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  /** A receiver on a port of its own. */
  static WebhookReceiver start(Vertx vertx) throws Exception {
    return start(vertx, 0);
  }

  /** A receiver on {@code port}, e.g. one a registry has been sending to while nothing listened there. */
  static WebhookReceiver start(Vertx vertx, int port) throws Exception {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    WebhookReceiver receiver = new WebhookReceiver(server);
    server.requestHandler(receiver::handle);
    server.listen().await(10, TimeUnit.SECONDS);
    return receiver;
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      record(new Delivery(request.method().name(), request.path(),
          MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body, System.nanoTime()));
      request.response().setStatusCode(200).end();
    });
  }

  private synchronized void record(Delivery delivery) {
    deliveries.add(delivery);
    List<Delivery> snapshot = List.copyOf(deliveries);
    waiters.removeIf(waiter -> waiter.condition().test(snapshot) && waiter.done().complete(snapshot));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Waits until one delivered event satisfies {@code condition}; returns every delivery so far. */
  List<Delivery> awaitEvent(Predicate<JsonObject> condition) throws Exception {
    return await(list -> list.stream().anyMatch(delivery -> condition.test(delivery.event())));
  }

  /** Waits until the deliveries so far satisfy {@code condition}; returns them. */
  List<Delivery> await(Predicate<List<Delivery>> condition) throws Exception {
    try {
      return waitFor(condition, Duration.ofSeconds(WAIT_SECONDS));
    } catch (TimeoutException e) {
      throw new AssertionError("webhook receiver " + url() + ": not there within " + WAIT_SECONDS + " s; got "
          + deliveries().stream().map(delivery -> delivery.body().toString()).toList(), e);
    }
  }

  /**
   * Waits at most {@code limit} for the deliveries to satisfy {@code condition}, and returns them either way: for a
   * caller that words its own failure, such as which events are missing.
   */
  List<Delivery> awaitAtMost(Predicate<List<Delivery>> condition, Duration limit) throws Exception {
    try {
      return waitFor(condition, limit);
    } catch (TimeoutException e) {
      return deliveries();
    }
  }

  private List<Delivery> waitFor(Predicate<List<Delivery>> condition, Duration limit) throws Exception {
    CompletableFuture<List<Delivery>> done = new CompletableFuture<>();
    synchronized (this) {
      List<Delivery> snapshot = List.copyOf(deliveries);
      if (condition.test(snapshot)) {
        return snapshot;
      }
      waiters.add(new Waiter(condition, done));
    }
    return done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws TimeoutException {
    server.close().await(10, TimeUnit.SECONDS);
  }
}
