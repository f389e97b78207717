package io.berth.launcher.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online garbage collection (storage.gc) running every second with a two-second grace period while clients push,
 * pull and delete without pause, and push again images deleted about a grace period earlier (whose blobs are then
 * exactly what a collection is deciding on): no client sees an error, no manifest loses a blob, and what was deleted
 * is reclaimed.
 */
class OnlineGarbageCollectionTest {
  private static final long MIN_LOOP_MILLIS = 5_000;
  private static final long MAX_LOOP_MILLIS = 30_000;
  private static final long GRACE_MILLIS = 2_000;
  private static final int WORKERS = 3;
  private static final Blob COMMON = Blob.random(50_000, 1);
  private static final List<Blob> BASES = List.of(Blob.random(40_000, 2), Blob.random(40_001, 3));
  private static final Image STABLE = Image.of(Blob.random(300, 4), COMMON, Blob.random(60_000, 5));

  @TempDir
  Path root;

  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger revived = new AtomicInteger();

  private record Deleted(String repository, Image image, long atMillis) {
  }

  /**
   * One client's loop: push a fresh image and pull it back; every fourth time delete that manifest, every fourth
   * time its whole repository; and push again a manifest deleted a grace period ago.
   */
  private int pushPullDelete(PushPullClient client, int worker) throws Exception {
    Deque<Deleted> deleted = new ArrayDeque<>();
    int iterations = 0;
    for (long seed = worker * 1_000_000L; !stop.get(); seed += 2) {
      String repository = "loop/w" + worker + "/r" + (iterations % 2);
      Image image = Image.of(Blob.random(100 + worker, seed), COMMON, BASES.get(worker % 2),
          Blob.random(20_000, seed + 1));
      client.push(repository, "t" + iterations % 3, image);
      assertEquals(image.manifest().digest(), client.pull(repository, "t" + iterations % 3));
      if (iterations % 4 == 1) {
        client.deleteManifest(repository, image.manifest().digest());
        deleted.add(new Deleted(repository, image, System.currentTimeMillis()));
      } else if (iterations % 4 == 3) {
        client.deleteRepository(repository);
      }
      Deleted due = deleted.peek();
      if (due != null && System.currentTimeMillis() - due.atMillis() >= GRACE_MILLIS) {
        deleted.remove();
        client.push(due.repository(), "revived", due.image());
        assertEquals(due.image().manifest().digest(), client.pull(due.repository(), "revived"));
        revived.incrementAndGet();
      }
      iterations++;
    }
    return iterations;
  }

  /** Pulls an image that stays tagged throughout: it must come back whole every time. */
  private int pullStable(PushPullClient client) throws Exception {
    int pulls = 0;
    while (!stop.get()) {
      assertEquals(STABLE.manifest().digest(), client.pull("stable/app", "v1"));
      pulls++;
    }
    return pulls;
  }

  @Test
  void collectionWhileClientsPushPullAndDeleteLosesNothingAndReclaimsWhatWasDeleted() throws Exception {
    Map<String, String> gc = Map.of("REGISTRY_STORAGE_GC_ENABLED", "true", "REGISTRY_STORAGE_GC_INTERVAL", "1s",
        "REGISTRY_STORAGE_GC_GRACEPERIOD", GRACE_MILLIS + "ms");
    try (RunningRegistry registry = RunningRegistry.start(root, gc)) {
      BlockingQueue<JsonObject> runs = new LinkedBlockingQueue<>();
      registry.vertx().eventBus().<JsonObject>consumer(Addresses.GC_COMPLETED, message -> runs.add(message.body()))
          .completion().await(10, TimeUnit.SECONDS);
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("stable/app", "v1", STABLE);

      ExecutorService clients = Executors.newFixedThreadPool(WORKERS + 1);
      List<Future<Integer>> loops = new ArrayList<>();
      for (int worker = 0; worker < WORKERS; worker++) {
        int id = worker;
        loops.add(clients.submit(() -> pushPullDelete(new PushPullClient(registry.baseUrl()), id)));
      }
      loops.add(clients.submit(() -> pullStable(new PushPullClient(registry.baseUrl()))));
      // The clients run at least MIN_LOOP_MILLIS, and on until a collection has deleted something meanwhile.
      long started = System.currentTimeMillis();
      List<JsonObject> during = new ArrayList<>();
      while (!stop.get()) {
        JsonObject run = runs.poll(100, TimeUnit.MILLISECONDS);
        if (run != null) {
          during.add(run);
        }
        long elapsed = System.currentTimeMillis() - started;
        boolean deletedMeanwhile = during.stream().anyMatch(done -> done.getInteger("blobsDeleted") > 0);
        stop.set(elapsed >= MAX_LOOP_MILLIS || elapsed >= MIN_LOOP_MILLIS && deletedMeanwhile
            || loops.stream().anyMatch(Future::isDone));
      }
      List<String> errors = new ArrayList<>();
      int iterations = 0;
      for (Future<Integer> loop : loops) {
        try {
          iterations += loop.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          errors.add(e.getCause().toString());
        }
      }
      clients.shutdown();

      assertEquals(List.of(), errors);
      assertTrue(during.stream().anyMatch(run -> run.getInteger("blobsDeleted") > 0),
          "no collection deleted anything while the clients ran: " + during);
      assertTrue(revived.get() > 0, "no image was pushed again after its delete");
      assertTrue(iterations > WORKERS * 5, "iterations: " + iterations);

      StoredBlobs stored = new StoredBlobs(root);
      assertEquals(Set.of(), stored.missing());
      for (String repository : client.catalog()) {
        for (String tag : client.tags(repository)) {
          client.pull(repository, tag);
        }
      }

      Set<String> unreferenced = stored.unreferenced();
      long deadline = System.currentTimeMillis() + 20_000;
      while (!unreferenced.isEmpty() && System.currentTimeMillis() < deadline) {
        JsonObject run = runs.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        assertTrue(run != null, "no collection completed; unreferenced: " + unreferenced);
        unreferenced.retainAll(stored.stored());
      }
      assertEquals(Set.of(), unreferenced);
      assertEquals(Set.of(), stored.missing());
      assertEquals(STABLE.manifest().digest(), client.pull("stable/app", "v1"));
    }
  }

  /** Sets every file of the blob (its data and the repository's link to it) an hour back. */
  private void age(String repository, Blob blob) throws IOException {
    FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    String hex = blob.digest().hex();
    Files.setLastModifiedTime(root.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex
        + "/data"), hourAgo);
    Files.setLastModifiedTime(root.resolve("docker/registry/v2/repositories/" + repository + "/_layers/sha256/"
        + hex + "/link"), hourAgo);
  }

  private static void awaitRuns(BlockingQueue<JsonObject> runs, int count) throws InterruptedException {
    for (int i = 0; i < count; i++) {
      assertTrue(runs.poll(20, TimeUnit.SECONDS) != null, "no collection completed");
    }
  }

  @Test
  void anUnreferencedBlobAClientWasJustToldExistsStaysForTheGracePeriodAndAnotherGoes() throws Exception {
    Map<String, String> gc = Map.of("REGISTRY_STORAGE_GC_ENABLED", "true", "REGISTRY_STORAGE_GC_INTERVAL", "1s",
        "REGISTRY_STORAGE_GC_GRACEPERIOD", "5s");
    Image relied = Image.of(Blob.random(400, 10), Blob.random(30_000, 11));
    Image forgotten = Image.of(Blob.random(401, 12), Blob.random(30_001, 13));
    try (RunningRegistry registry = RunningRegistry.start(root, gc)) {
      BlockingQueue<JsonObject> runs = new LinkedBlockingQueue<>();
      registry.vertx().eventBus().<JsonObject>consumer(Addresses.GC_COMPLETED, message -> runs.add(message.body()))
          .completion().await(10, TimeUnit.SECONDS);
      PushPullClient client = new PushPullClient(registry.baseUrl());
      for (Image image : List.of(relied, forgotten)) {
        client.push("app", "v1", image);
        client.deleteManifest("app", image.manifest().digest());
      }
      // Right after a run, so that the next starts an interval later: the blobs get old, and then, as a client
      // pushing `relied` again does, it asks whether they exist (and would skip uploading them).
      runs.clear();
      awaitRuns(runs, 1);
      for (Image image : List.of(relied, forgotten)) {
        for (Blob blob : image.blobs()) {
          age("app", blob);
        }
      }
      for (Blob blob : relied.blobs()) {
        assertEquals(200, client.send("HEAD", "/v2/app/blobs/" + blob.digest(), null).statusCode());
      }

      awaitRuns(runs, 2);

      StoredBlobs stored = new StoredBlobs(root);
      for (Blob blob : relied.blobs()) {
        assertTrue(stored.stored().contains(blob.digest().toString()), blob.digest() + " was collected");
      }
      for (Blob blob : forgotten.blobs()) {
        assertTrue(!stored.stored().contains(blob.digest().toString()), blob.digest() + " was not collected");
      }
      client.pushManifest("app", "v2", relied.manifest(), PushPullClient.OCI_MANIFEST);
      assertEquals(relied.manifest().digest(), client.pull("app", "v2"));
    }
  }
}
