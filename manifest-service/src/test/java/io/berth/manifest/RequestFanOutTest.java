package io.berth.manifest;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.BusClient;
import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.oci.Digest;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.berth.manifest.store.CatalogLister;
import io.berth.manifest.store.ManifestCache;
import io.berth.manifest.store.ManifestStore;
import io.berth.manifest.store.ReferrersIndex;
import io.berth.manifest.validate.ManifestParser;
import io.berth.manifest.validate.ReferenceChecker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests that fan out over lists of any size (referrers over every revision, the catalog over every repository,
 * the checks of an index's children, the tags a manifest delete inspects) keep at most
 * {@link BoundedFanOut#PER_REQUEST} storage operations in flight, so that a push arriving meanwhile waits behind
 * a few of them, not thousands.
 */
@ExtendWith(VertxExtension.class)
class RequestFanOutTest {
  private static final RepositoryName REPO = RepositoryName.parse("load/app");
  private static final Digest SUBJECT = TestBytes.sha256(Buffer.buffer("the subject"));
  private static final int SPINDLES = 4;
  private static final long MILLIS_PER_OPERATION = 5;

  @TempDir
  Path root;
  private Vertx vertx;
  private SlowDisk disk;
  private ManifestStore store;

  @BeforeEach
  void slowStorage(Vertx vertx) {
    this.vertx = vertx;
    disk = new SlowDisk(vertx, new FileSystemStorageDriver(vertx, root), SPINDLES, MILLIS_PER_OPERATION);
    store = new ManifestStore(disk, new ManifestCache());
  }

  @Test
  void referrersReadAtMostSixteenRevisionsAtOnce() throws IOException {
    List<Digest> revisions = storeReferrers(500);

    JsonObject index = result(OnContext.run(vertx, () -> new ReferrersIndex(store).referrers(REPO, SUBJECT, null)));

    assertEquals(revisions.size(), index.getJsonArray("manifests").size());
    assertEquals(BoundedFanOut.PER_REQUEST, disk.mostInFlight());
  }

  /**
   * The bound the brief asks for: a manifest push beside a referrers request over 2,000 revisions. Unbounded, the
   * request queued 2,000 reads ahead of the push's first write, 2.5 s on this disk; bounded, at most 16 (20 ms).
   */
  @Test
  void aManifestPushBesideAReferrersRequestOverTwoThousandRevisionsCompletesWithinASecond() throws IOException {
    storeReferrers(2_000);
    Buffer manifest = Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("config", new JsonObject()).put("layers", new JsonArray()).encode());

    Future<JsonObject> referrers = OnContext.run(vertx, () -> new ReferrersIndex(store).referrers(REPO, SUBJECT, null));
    long start = System.nanoTime();
    result(OnContext.run(vertx, () -> store.put(RepositoryName.parse("push/app"), TestBytes.sha256(manifest), manifest,
        Tag.parse("v1"))));
    Duration push = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(2_000, result(referrers).getJsonArray("manifests").size());
    assertTrue(push.compareTo(Duration.ofSeconds(1)) < 0, () -> "the push took " + push.toMillis() + " ms");
  }

  @Test
  void theCatalogListsAtMostSixteenDirectoriesAtOnce() throws IOException {
    for (int i = 0; i < 300; i++) {
      Files.createDirectories(root.resolve(StorageLayout.REPOSITORIES + "/team-" + (i % 10) + "/app-" + i
          + "/_manifests"));
    }

    List<String> repositories = result(OnContext.run(vertx, () -> new CatalogLister(disk).repositories()));

    assertEquals(300, repositories.size());
    assertEquals(BoundedFanOut.PER_REQUEST, disk.mostInFlight());
  }

  @Test
  void anIndexOfManyChildrenIsCheckedSixteenChildrenAtATime() throws IOException {
    List<Digest> children = storeReferrers(300);
    JsonArray manifests = new JsonArray();
    children.forEach(child -> manifests.add(new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("digest", child.toString()).put("size", 100)));
    Buffer index = Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX)
        .put("manifests", manifests).encode());

    result(OnContext.run(vertx, () -> new ReferenceChecker(new BusClient(vertx.eventBus(), 5_000), store)
        .check(REPO, ManifestParser.parse(MediaTypes.OCI_INDEX, index))));

    assertEquals(BoundedFanOut.PER_REQUEST, disk.mostInFlight());
  }

  @Test
  void aManifestDeleteInspectsSixteenTagsAtATime() throws IOException {
    Digest target = storeReferrers(1).get(0);
    Digest other = TestBytes.sha256(Buffer.buffer("other"));
    List<String> pointing = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Tag tag = Tag.parse("t" + i);
      Digest digest = i % 2 == 0 ? target : other;
      write(StorageLayout.tagCurrentLink(REPO, tag), StorageLayout.link(digest));
      if (digest.equals(target)) {
        pointing.add(tag.value());
      }
    }
    disk.resetMost();

    List<String> untagged = result(OnContext.run(vertx, () -> store.deleteManifest(REPO, target)));

    assertEquals(pointing.stream().sorted().toList(), untagged.stream().sorted().toList());
    assertEquals(BoundedFanOut.PER_REQUEST, disk.mostInFlight());
  }

  /** Manifests whose subject is {@link #SUBJECT}, stored as revisions of {@link #REPO} straight on disk. */
  private List<Digest> storeReferrers(int count) throws IOException {
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Buffer manifest = Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
          .put("artifactType", "application/vnd.example.signature")
          .put("config", new JsonObject().put("mediaType", "application/vnd.oci.empty.v1+json")
              .put("digest", TestBytes.sha256(Buffer.buffer("{}")).toString()).put("size", 2))
          .put("layers", new JsonArray())
          .put("subject", new JsonObject().put("mediaType", MediaTypes.OCI_MANIFEST).put("digest", SUBJECT.toString())
              .put("size", 11))
          .put("annotations", new JsonObject().put("n", Integer.toString(i))).encode());
      Digest digest = TestBytes.sha256(manifest);
      write(StorageLayout.blobData(digest), manifest);
      write(StorageLayout.revisionLink(REPO, digest), StorageLayout.link(digest));
      digests.add(digest);
    }
    return digests;
  }

  private void write(String path, Buffer content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content.getBytes());
  }
}
