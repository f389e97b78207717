package io.berth.launcher.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.berth.common.bus.Addresses;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online collection with {@code deleteuntagged} in the all-in-one, whose manifest cache answers from memory: the
 * collector deletes an untagged manifest behind the manifest service's back, and its report of the run makes the
 * cache forget it, so a pull by digest that was answered from the cache is then unknown.
 */
class UntaggedManifestCollectionTest {
  @TempDir
  Path root;

  @Test
  void anUntaggedManifestTheCollectorDeletedIsUnknownThoughItWasCached() throws Exception {
    Map<String, String> gc = Map.of("REGISTRY_STORAGE_GC_ENABLED", "true", "REGISTRY_STORAGE_GC_INTERVAL", "1s",
        "REGISTRY_STORAGE_GC_GRACEPERIOD", "10m", "REGISTRY_STORAGE_GC_DELETEUNTAGGED", "true");
    Image image = Image.of(Blob.random(300, 21), Blob.random(5_000, 22));
    String digest = image.manifest().digest().toString();
    try (RunningRegistry registry = RunningRegistry.start(root, gc)) {
      BlockingQueue<JsonObject> runs = new LinkedBlockingQueue<>();
      registry.vertx().eventBus().<JsonObject>consumer(Addresses.GC_COMPLETED, message -> runs.add(message.body()))
          .completion().await(10, TimeUnit.SECONDS);
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("app", "v1", image);
      assertEquals(image.manifest().digest(), client.pull("app", digest));
      assertEquals(202, client.send("DELETE", "/v2/app/manifests/v1", null).statusCode());
      assertEquals(image.manifest().digest(), client.pull("app", digest));
      // Older than the grace period, so that the next run deletes it.
      String hex = image.manifest().digest().hex();
      Files.setLastModifiedTime(root.resolve("docker/registry/v2/repositories/app/_manifests/revisions/sha256/"
          + hex + "/link"), FileTime.from(Instant.now().minus(Duration.ofHours(1))));

      JsonObject deleting = new JsonObject().put("repository", "app").put("digest", digest);
      JsonObject run;
      do {
        run = runs.poll(20, TimeUnit.SECONDS);
        assertNotNull(run, "no collection deleted the manifest");
      } while (!run.getJsonArray("manifestsDeleted", new JsonArray()).contains(deleting));

      HttpResponse<byte[]> pulled = client.send("GET", "/v2/app/manifests/" + digest, null,
          "Accept", PushPullClient.OCI_MANIFEST);
      assertEquals(404, pulled.statusCode());
      assertEquals("MANIFEST_UNKNOWN", new JsonObject(new String(pulled.body())).getJsonArray("errors")
          .getJsonObject(0).getString("code"));
    }
  }
}
