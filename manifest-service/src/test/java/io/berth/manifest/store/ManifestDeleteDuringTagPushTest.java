package io.berth.manifest.store;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.InterceptedStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.storage.s3.S3StorageDriver;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A push that tags the manifest a delete is removing, done after the delete has untagged but before it removes the
 * revision: the tag must not be left naming a manifest that is gone (tags/list would list it and its pull answer
 * MANIFEST_UNKNOWN). Either the push wins (manifest and tag stay) or the delete does (both go).
 */
@ExtendWith(VertxExtension.class)
class ManifestDeleteDuringTagPushTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final Buffer MANIFEST = Buffer.buffer("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}");
  private static final Digest DIGEST = TestBytes.sha256(MANIFEST);
  private static final Tag V1 = Tag.parse("v1");
  private static final Tag LATEST = Tag.parse("latest");

  @TempDir
  Path root;

  @Test
  void onAFileSystem(Vertx vertx) {
    assertNoTagOfAGoneManifest(new FileSystemStorageDriver(vertx, root));
  }

  @Test
  void onS3(Vertx vertx) throws Exception {
    try (S3TestServer server = S3TestServer.start()) {
      assertNoTagOfAGoneManifest(S3StorageDriver.open(vertx, server.config(server.newBucket(), "/berth")));
    }
  }

  private static void assertNoTagOfAGoneManifest(StorageDriver storage) {
    ManifestStore pusher = new ManifestStore(storage, new ManifestCache());
    result(pusher.put(REPO, DIGEST, MANIFEST, V1));
    String revision = StorageLayout.revisionDirectory(REPO, DIGEST);
    InterceptedStorageDriver pushBeforeRevisionDelete = new InterceptedStorageDriver(storage) {
      @Override
      protected <T> Future<T> intercept(Operation operation, String path, Supplier<Future<T>> call) {
        return operation == Operation.DELETE && path.equals(revision)
            ? pusher.put(REPO, DIGEST, MANIFEST, LATEST).compose(v -> call.get()) : call.get();
      }
    };

    List<String> untagged = result(new ManifestStore(pushBeforeRevisionDelete, new ManifestCache())
        .deleteManifest(REPO, DIGEST));

    ManifestStore store = new ManifestStore(storage, new ManifestCache());
    boolean stored = result(store.exists(REPO, DIGEST));
    // On S3 a repository left with nothing is no repository: it has no tags.
    List<Tag> tags = result(store.tags(REPO).recover(failure -> failure instanceof RegistryException
        ? Future.succeededFuture(List.of()) : Future.failedFuture(failure)));
    assertTrue(stored || tags.isEmpty(), "tags " + tags + " name " + DIGEST + ", which is gone");
    assertFalse(stored, "the delete was answered, so the manifest is gone");
    assertEquals(List.of("latest", "v1"), untagged.stream().sorted().toList(), "the delete's events name each tag");
  }
}
