package io.berth.launcher.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.gc.GarbageCollector;
import io.berth.blob.gc.GcListener;
import io.berth.blob.gc.GcOptions;
import io.berth.blob.gc.ManifestReader;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code DELETE /v2/<name>/}, which distribution lacks: the repository's links go, garbage collection its blobs. */
class RepositoryDeleteTest {
  private static final Blob SHARED = Blob.random(30_000, 1);
  private static final Image APP = Image.of(Blob.random(200, 2), SHARED, Blob.random(40_000, 3));
  private static final Image NESTED = Image.of(Blob.random(201, 4), Blob.random(40_001, 5));
  private static final Image OTHER = Image.of(Blob.random(202, 6), SHARED);

  @TempDir
  Path root;

  private static void assertError(int status, String code, HttpResponse<byte[]> response) {
    assertEquals(status, response.statusCode(), new String(response.body()));
    assertEquals(code, new JsonObject(new String(response.body())).getJsonArray("errors").getJsonObject(0)
        .getString("code"));
  }

  @Test
  void aDeletedRepositoryLeavesTheCatalogAndGarbageCollectionReclaimsWhatOnlyItUsed() throws Exception {
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("team/app", "v1", APP);
      client.push("team/app/nested", "v1", NESTED);
      client.push("other", "v1", OTHER);

      HttpResponse<byte[]> deleted = client.send("DELETE", "/v2/team/app/", null);

      assertEquals(202, deleted.statusCode(), new String(deleted.body()));
      assertEquals(List.of("other", "team/app/nested"), client.catalog());
      assertError(404, "NAME_UNKNOWN", client.send("GET", "/v2/team/app/tags/list", null));
      assertError(404, "MANIFEST_UNKNOWN", client.send("GET", "/v2/team/app/manifests/v1", null));
      assertEquals(404, client.send("HEAD", "/v2/team/app/blobs/" + SHARED.digest(), null).statusCode());
      client.pull("team/app/nested", "v1");
      client.pull("other", "v1");
    }

    Vertx vertx = Vertx.vertx();
    StorageDriver driver = new FileSystemStorageDriver(vertx, root);
    try {
      new GarbageCollector(driver, vertx.getOrCreateContext(), GcOptions.offline(false, false), new ManifestReader(),
          GcListener.NONE, () -> false).run();
    } finally {
      driver.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }

    StoredBlobs stored = new StoredBlobs(root);
    assertEquals(Set.of(), stored.missing());
    assertEquals(Set.of(), stored.unreferenced());
    assertTrue(stored.stored().contains(SHARED.digest().toString()));
    assertTrue(!stored.stored().contains(APP.layers().get(1).digest().toString()));
    assertTrue(!stored.stored().contains(APP.manifest().digest().toString()));
  }

  @Test
  void aRepositoryPushedAgainAfterItsDeleteServesAgain() throws Exception {
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("team/app", "v1", APP);
      client.deleteRepository("team/app");

      client.push("team/app", "v1", APP);

      assertEquals(APP.manifest().digest(), client.pull("team/app", "v1"));
      assertEquals(List.of("v1"), client.tags("team/app"));
    }
  }

  @Test
  void anUnknownRepositoryIsNameUnknown() throws Exception {
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("team/app/nested", "v1", NESTED);

      assertError(404, "NAME_UNKNOWN", client.send("DELETE", "/v2/never/pushed/", null));
      assertError(404, "NAME_UNKNOWN", client.send("DELETE", "/v2/team/app/", null));
      assertError(400, "NAME_INVALID", client.send("DELETE", "/v2/Team/", null));
    }
  }

  @Test
  void theRepositoryPathHasNoOtherMethodAndTheUploadPathStaysTheUploadEndpoints() throws Exception {
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("team/app", "v1", APP);

      assertError(404, "NOT_FOUND", client.send("GET", "/v2/team/app/", null));
      assertError(404, "NOT_FOUND", client.send("PUT", "/v2/team/app/", new byte[0]));
      assertError(405, "UNSUPPORTED", client.send("DELETE", "/v2/team/app/blobs/uploads/", null));
      assertEquals(List.of("v1"), client.tags("team/app"));
    }
  }

  @Test
  void withDeletionDisabledItIsUnsupportedAndTheRepositoryStays() throws Exception {
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of("REGISTRY_STORAGE_DELETE_ENABLED", "false"))) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("team/app", "v1", APP);

      assertError(405, "UNSUPPORTED", client.send("DELETE", "/v2/team/app/", null));
      assertEquals(List.of("team/app"), client.catalog());
      client.pull("team/app", "v1");
    }
  }
}
