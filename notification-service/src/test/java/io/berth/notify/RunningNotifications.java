package io.berth.notify;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.config.ConfigParser;
import io.berth.common.config.RegistryConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A notification verticle deployed on the test's Vert.x with a {@code notifications} section the test writes, its
 * queues under a temporary storage root and its status server on 127.0.0.1, port 0. {@link #restart} undeploys it
 * and deploys a new one on the same directories, as a registry restart does.
 */
final class RunningNotifications implements AutoCloseable {
  private final Vertx vertx;
  private final RegistryConfig config;
  private final WebClient client;
  private NotificationVerticle verticle;
  private String deployment;

  private RunningNotifications(Vertx vertx, RegistryConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.client = WebClient.create(vertx);
  }

  /** {@code root} is the storage root; {@code extra} is merged into the configuration (e.g. {@code http.host}). */
  static RunningNotifications start(Vertx vertx, Path root, JsonObject notifications, JsonObject extra)
      throws Exception {
    JsonObject json = new JsonObject()
        .put("storage", new JsonObject().put("filesystem", new JsonObject().put("rootdirectory", root.toString())))
        .put("notifications", notifications.copy()
            .put("status", new JsonObject().put("addr", "127.0.0.1:0")))
        .mergeIn(extra, true);
    RunningNotifications running = new RunningNotifications(vertx, ConfigParser.parse(json));
    running.deploy();
    return running;
  }

  static RunningNotifications start(Vertx vertx, Path root, JsonObject notifications) throws Exception {
    return start(vertx, root, notifications, new JsonObject());
  }

  /** An endpoint with test-sized timings: 2 s timeout, first failure already backs off, 20 ms backoff. */
  static JsonObject endpoint(String name, String url) {
    return new JsonObject().put("name", name).put("url", url).put("timeout", "2s").put("threshold", 1)
        .put("backoff", "20ms");
  }

  static JsonObject endpoints(JsonObject... endpoints) {
    JsonArray list = new JsonArray();
    for (JsonObject endpoint : endpoints) {
      list.add(endpoint);
    }
    return new JsonObject().put("endpoints", list);
  }

  private void deploy() throws Exception {
    verticle = new NotificationVerticle(config);
    deployment = vertx.deployVerticle(verticle).await(20, TimeUnit.SECONDS);
  }

  RegistryConfig config() {
    return config;
  }

  void publish(RegistryEvent event) {
    vertx.eventBus().publish(Addresses.EVENTS, event.json());
  }

  /** Undeploys the verticle and deploys a new one on the same queue directories. */
  void restart() throws Exception {
    vertx.undeploy(deployment).await(20, TimeUnit.SECONDS);
    deploy();
  }

  /** {@code GET /notifications} on the status server. */
  JsonObject status() throws Exception {
    var response = client.get(verticle.statusPort(), "127.0.0.1", "/notifications").send()
        .await(10, TimeUnit.SECONDS);
    if (response.statusCode() != 200) {
      throw new AssertionError("status answered " + response.statusCode());
    }
    return response.bodyAsJsonObject();
  }

  JsonObject endpointStatus(String name) throws Exception {
    return find(status(), name);
  }

  private static JsonObject find(JsonObject status, String name) {
    for (Object endpoint : status.getJsonArray("endpoints")) {
      if (((JsonObject) endpoint).getString("name").equals(name)) {
        return (JsonObject) endpoint;
      }
    }
    throw new AssertionError("no endpoint " + name + " in " + status.encode());
  }

  /** Asks the status server every 20 ms until the endpoint's counters satisfy {@code condition}. */
  JsonObject awaitEndpoint(String name, Predicate<JsonObject> condition) throws Exception {
    Promise<JsonObject> met = Promise.promise();
    long timer = vertx.setPeriodic(20, id -> client.get(verticle.statusPort(), "127.0.0.1", "/notifications").send()
        .onSuccess(response -> {
          JsonObject endpoint = find(response.bodyAsJsonObject(), name);
          if (condition.test(endpoint)) {
            met.tryComplete(endpoint);
          }
        }));
    try {
      return met.future().await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("endpoint " + name + " never reached the expected state: " + endpointStatus(name), e);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  @Override
  public void close() throws TimeoutException {
    client.close();
    vertx.undeploy(deployment).await(20, TimeUnit.SECONDS);
  }
}
