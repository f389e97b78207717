package io.berth.manifest.store;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.Digest;
import io.berth.common.oci.MediaTypes;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The summaries the referrers API remembers keep each manifest's annotations, which a pusher chooses (up to the
 * manifest limit of 4 MiB each). Bounded by count alone, one listing of a repository holding 40 manifests of 1 MiB
 * of annotations kept all of them on the heap after it answered; bounded by weight, they take at most the bound.
 */
@ExtendWith(VertxExtension.class)
class ReferrersIndexMemoryTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final int MANIFESTS = 40;
  private static final int ANNOTATION_BYTES = 1024 * 1024;

  @TempDir
  Path root;

  @Test
  void summariesOfManifestsWithLargeAnnotationsStayWithinTheBound(Vertx vertx) throws IOException {
    Digest subject = TestBytes.sha256(Buffer.buffer("the subject"));
    for (int n = 0; n < MANIFESTS; n++) {
      store(manifest(n));
    }
    ReferrersIndex index = new ReferrersIndex(
        new ManifestStore(new FileSystemStorageDriver(vertx, root), new ManifestCache()));
    long before = heapUsedAfterGc();

    JsonObject listing = result(OnContext.run(vertx, () -> index.referrers(REPO, subject, null)));
    assertEquals(0, listing.getJsonArray("manifests").size());
    listing = null;
    long held = heapUsedAfterGc() - before;
    Reference.reachabilityFence(index);

    assertTrue(held < 24L * 1024 * 1024, "the index holds " + held / (1024 * 1024) + " MiB of heap after listing "
        + MANIFESTS + " manifests of " + ANNOTATION_BYTES / 1024 + " KiB of annotations");
  }

  private static Buffer manifest(int n) {
    return Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
        .put("config", new JsonObject().put("mediaType", "application/vnd.oci.empty.v1+json")
            .put("digest", TestBytes.sha256(Buffer.buffer("{}")).toString()).put("size", 2))
        .put("layers", new JsonArray())
        .put("annotations", new JsonObject().put("org.example.n", Integer.toString(n))
            .put("org.example.padding", "x".repeat(ANNOTATION_BYTES)))
        .encode());
  }

  private void store(Buffer content) throws IOException {
    Digest digest = TestBytes.sha256(content);
    write(StorageLayout.blobData(digest), content);
    write(StorageLayout.revisionLink(REPO, digest), StorageLayout.link(digest));
  }

  private void write(String path, Buffer content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content.getBytes());
  }

  private static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
