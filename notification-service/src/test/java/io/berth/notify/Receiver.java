package io.berth.notify;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A webhook receiver on 127.0.0.1: a real Vert.x HTTP server that records every request and answers with the status
 * the test sets (or not at all, to play a hung endpoint). It can be stopped and started again on the same port, to
 * play an endpoint that goes down and comes back.
 */
final class Receiver implements AutoCloseable {
  /** One request as it arrived: method, path, headers and the exact body bytes. */
  record Request(String method, String path, MultiMap headers, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }

    /** The id of the event in distribution's envelope. */
    String eventId() {
      return json().getJsonArray("events").getJsonObject(0).getString("id");
    }
  }

  private final Vertx vertx;
  private final List<Request> requests = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private HttpServer server;
  private int port;
  private volatile int status = 200;
  private volatile boolean hang;
  private volatile int answerLimit = Integer.MAX_VALUE;

  private record Waiter(Predicate<List<Request>> condition, CompletableFuture<List<Request>> done) {
  }

  private Receiver(Vertx vertx) {
    this.vertx = vertx;
  }

  static Receiver start(Vertx vertx) throws Exception {
    Receiver receiver = new Receiver(vertx);
    receiver.listen(0);
    return receiver;
  }

  private void listen(int wanted) throws Exception {
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(wanted));
    server.requestHandler(this::handle);
    server.listen().await(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      int index = record(new Request(request.method().name(), request.path(), MultiMap.caseInsensitiveMultiMap()
          .addAll(request.headers()), body));
      if (!hang && index < answerLimit) {
        request.response().setStatusCode(status).end();
      }
    });
  }

  /** Records the request; answers its index in the list of all requests. */
  private synchronized int record(Request request) {
    requests.add(request);
    List<Request> snapshot = List.copyOf(requests);
    waiters.removeIf(waiter -> {
      if (waiter.condition().test(snapshot)) {
        waiter.done().complete(snapshot);
        return true;
      }
      return false;
    });
    return requests.size() - 1;
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** The status the following requests are answered with. */
  void answer(int newStatus) {
    status = newStatus;
  }

  /** Takes requests but never answers them. */
  void hang() {
    hang = true;
  }

  /** Answers the first {@code count} requests (counting all received so far) and takes the later ones unanswered. */
  void hangAfter(int count) {
    answerLimit = count;
  }

  /** Answers the requests from now on again (those held stay unanswered). */
  void answerAgain() {
    hang = false;
    answerLimit = Integer.MAX_VALUE;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Waits until {@code count} requests have arrived; returns all of them. */
  List<Request> await(int count) throws Exception {
    return await(list -> list.size() >= count);
  }

  /** Waits until the requests so far satisfy {@code condition}. */
  List<Request> await(Predicate<List<Request>> condition) throws Exception {
    CompletableFuture<List<Request>> done = new CompletableFuture<>();
    synchronized (this) {
      List<Request> snapshot = List.copyOf(requests);
      if (condition.test(snapshot)) {
        return snapshot;
      }
      waiters.add(new Waiter(condition, done));
    }
    try {
      return done.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("receiver: condition not met within 20 s; got " + requests().size() + " requests", e);
    }
  }

  /** Goes down: the port refuses connections until {@link #restart}. */
  void stop() throws TimeoutException {
    server.close().await(10, TimeUnit.SECONDS);
  }

  void restart() throws Exception {
    listen(port);
  }

  @Override
  public void close() throws TimeoutException {
    stop();
  }
}
