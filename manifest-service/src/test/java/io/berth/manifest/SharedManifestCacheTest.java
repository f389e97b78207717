package io.berth.manifest;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static io.berth.manifest.TwoManifestProcesses.REPO;
import static io.berth.manifest.TwoManifestProcesses.delete;
import static io.berth.manifest.TwoManifestProcesses.digest;
import static io.berth.manifest.TwoManifestProcesses.get;
import static io.berth.manifest.TwoManifestProcesses.image;
import static io.berth.manifest.TwoManifestProcesses.push;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.error.ErrorCode;
import io.berth.common.oci.Digest;
import io.berth.common.storage.StorageLayout;
import io.berth.manifest.store.CachePolicy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two manifest-service processes (each its own Vert.x and cache) on one storage: with the shared cache policy, what
 * one writes is what the other answers the moment the writer has answered, though the reader had cached the old.
 */
class SharedManifestCacheTest {
  @TempDir
  Path root;
  private TwoManifestProcesses processes;

  private TwoManifestProcesses start(CachePolicy policy) {
    processes = new TwoManifestProcesses(
        RunningManifestService.start(Vertx.vertx(), root, true, Map.of(), policy),
        RunningManifestService.start(Vertx.vertx(), root, true, Map.of(), policy));
    processes.knowImages('a', 'b');
    return processes;
  }

  @AfterEach
  void stop() {
    processes.close();
  }

  /** Reads the reference twice on the reader, so that the second read could be answered from its cache. */
  private static ManifestContent readTwice(RunningManifestService reader, String reference) {
    result(get(reader, reference));
    return result(get(reader, reference));
  }

  @Test
  void aTagMovedByOneProcessIsReadAtOnceByAnotherThatHadCachedIt() {
    TwoManifestProcesses two = start(CachePolicy.SHARED);
    push(two.writer, "t", 'a');
    assertEquals(digest('a'), readTwice(two.reader, "t").digest());

    push(two.writer, "t", 'b');

    ManifestContent moved = result(get(two.reader, "t"));
    assertEquals(digest('b'), moved.digest());
    assertEquals(image('b'), moved.content());
    assertEquals(image('a'), result(get(two.reader, digest('a'))).content());
  }

  @Test
  void aManifestDeletedByOneProcessIsUnknownAtOnceToAnotherThatHadCachedIt() {
    TwoManifestProcesses two = start(CachePolicy.SHARED);
    push(two.writer, "t", 'a');
    readTwice(two.reader, "t");
    readTwice(two.reader, digest('a'));

    delete(two.writer, digest('a'));

    failsWith(ErrorCode.MANIFEST_UNKNOWN, get(two.reader, digest('a')));
    failsWith(ErrorCode.MANIFEST_UNKNOWN, get(two.reader, "t"));
  }

  @Test
  void aTagDeletedByOneProcessIsUnknownAtOnceToAnotherWhileItsManifestStays() {
    TwoManifestProcesses two = start(CachePolicy.SHARED);
    push(two.writer, "t", 'a');
    readTwice(two.reader, "t");

    delete(two.writer, "t");

    failsWith(ErrorCode.MANIFEST_UNKNOWN, get(two.reader, "t"));
    assertEquals(image('a'), result(get(two.reader, digest('a'))).content());
  }

  @Test
  void aRepositoryDeletedByOneProcessIsUnknownAtOnceToAnother() {
    TwoManifestProcesses two = start(CachePolicy.SHARED);
    push(two.writer, "t", 'a');
    readTwice(two.reader, digest('a'));

    result(two.writer.request(Addresses.REPOSITORY_DELETE, new JsonObject().put("repository", REPO)));

    failsWith(ErrorCode.MANIFEST_UNKNOWN, get(two.reader, digest('a')));
  }

  @Test
  void theSharedPolicyStillAnswersAManifestFromItsCacheOnceItsRevisionLinkIsSeen() throws Exception {
    TwoManifestProcesses two = start(CachePolicy.SHARED);
    push(two.writer, "t", 'a');
    readTwice(two.reader, "t");
    // Manifests never change under their digest; bytes changed behind the registry's back show where a read came from.
    Files.writeString(root.resolve(StorageLayout.blobData(Digest.parse(digest('a')))), "{}");

    assertEquals(image('a'), result(get(two.reader, "t")).content());
    assertEquals(image('a'), result(get(two.reader, digest('a'))).content());
  }

  @Test
  void theLocalPolicyAnswersFromItsCacheWhateverAnotherProcessWrote() {
    TwoManifestProcesses two = start(CachePolicy.LOCAL);
    push(two.writer, "t", 'a');
    readTwice(two.reader, "t");

    push(two.writer, "t", 'b');
    assertEquals(digest('a'), result(get(two.reader, "t")).digest());
    delete(two.writer, digest('a'));
    assertEquals(image('a'), result(get(two.reader, digest('a'))).content());
    assertEquals(digest('b'), result(get(two.writer, "t")).digest());
  }
}
