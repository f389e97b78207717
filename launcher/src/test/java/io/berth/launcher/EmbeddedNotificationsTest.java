package io.berth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.RegistryEvent;
import io.berth.common.event.RequestInfo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The all-in-one runs the notification service when an endpoint is configured, and not otherwise. */
class EmbeddedNotificationsTest {
  @TempDir
  Path root;

  @Test
  void anEventPublishedInTheAllInOneReachesTheConfiguredEndpoint() throws Exception {
    CompletableFuture<Buffer> received = new CompletableFuture<>();
    CompletableFuture<String> contentType = new CompletableFuture<>();
    Vertx receiverVertx = Vertx.vertx();
    try {
      HttpServer receiver = receiverVertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
          .requestHandler(request -> request.body().onSuccess(body -> {
            contentType.complete(request.getHeader("Content-Type"));
            received.complete(body);
            request.response().setStatusCode(204).end();
          }));
      receiver.listen().await(10, TimeUnit.SECONDS);
      try (RunningRegistry registry = RunningRegistry.start(root, Map.of(
          "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_NAME", "ci",
          "REGISTRY_NOTIFICATIONS_ENDPOINTS_0_URL", "http://127.0.0.1:" + receiver.actualPort() + "/hook"))) {
        RegistryEvent event = RegistryEvent.of(UUID.randomUUID().toString(), Instant.now(), RegistryEvent.PUSH,
            new RegistryEvent.Target("application/vnd.oci.image.manifest.v1+json", "sha256:" + "0".repeat(64), 10,
                "team/app", null, null, "1.0", null),
            RequestInfo.NONE, "127.0.0.1:" + registry.port(), "test-instance");

        registry.vertx().eventBus().publish(Addresses.EVENTS, event.json());

        JsonObject envelope = received.get(20, TimeUnit.SECONDS).toJsonObject();
        assertEquals(new JsonObject().put("events", new JsonArray().add(event.json())), envelope);
        assertEquals("application/vnd.docker.distribution.events.v1+json", contentType.get(1, TimeUnit.SECONDS));
        // The queue lives in the process's instance directory: notifications/<instance id>/ci.
        try (Stream<Path> instances = Files.list(root.resolve("notifications"))) {
          assertEquals(1, instances.filter(instance -> Files.isDirectory(instance.resolve("ci"))).count());
        }
      }
    } finally {
      receiverVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void withoutEndpointsNoQueueIsCreated() throws Exception {
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      assertTrue(registry.port() > 0);
    }
    assertFalse(Files.exists(root.resolve("notifications")));
  }
}
