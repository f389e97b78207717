package io.berth.manifest.store;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest delete is several storage steps (its tags, then its revision); a delete cut short between them (its
 * process killed, its storage gone) must leave no tag naming a manifest that is gone: the chaos test saw one, because
 * a retried delete found the revision already gone, answered that the manifest was deleted, and the tag stayed.
 */
@ExtendWith(VertxExtension.class)
class ManifestDeleteOrderTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final Buffer MANIFEST = Buffer.buffer("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}");
  private static final Digest DIGEST = TestBytes.sha256(MANIFEST);
  private static final Tag V1 = Tag.parse("v1");

  @TempDir
  Path root;

  @Test
  void aDeleteCutShortLeavesNoTagOfAManifestThatIsGoneAndARetryFinishesIt(Vertx vertx) {
    FileSystemStorageDriver disk = new FileSystemStorageDriver(vertx, root);
    result(new ManifestStore(disk, new ManifestCache()).put(REPO, DIGEST, MANIFEST, V1));
    String tagDirectory = StorageLayout.tagDirectory(REPO, V1);
    String revision = StorageLayout.revisionDirectory(REPO, DIGEST);

    for (String cutAt : List.of(tagDirectory, revision)) {
      ManifestStore cut = new ManifestStore(new RefusedDeletes(disk, cutAt::equals), new ManifestCache());
      cut.deleteManifest(REPO, DIGEST).otherwiseEmpty().toCompletionStage().toCompletableFuture().join();

      ManifestStore store = new ManifestStore(disk, new ManifestCache());
      boolean tagged = result(store.tags(REPO)).contains(V1);
      boolean stored = result(store.exists(REPO, DIGEST));
      assertTrue(!tagged || stored, "cut at " + cutAt + ": tag v1 names a manifest that is gone");
    }
    ManifestStore store = new ManifestStore(disk, new ManifestCache());
    result(store.deleteManifest(REPO, DIGEST));
    assertFalse(result(store.exists(REPO, DIGEST)));
    assertEquals(List.of(), result(store.tags(REPO)));
  }
}
