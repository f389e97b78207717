package io.berth.manifest;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static io.berth.manifest.TwoManifestProcesses.REPO;
import static io.berth.manifest.TwoManifestProcesses.digest;
import static io.berth.manifest.TwoManifestProcesses.get;
import static io.berth.manifest.TwoManifestProcesses.image;
import static io.berth.manifest.TwoManifestProcesses.knowImages;
import static io.berth.manifest.TwoManifestProcesses.push;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.bus.Addresses;
import io.berth.common.error.ErrorCode;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The all-in-one's cache and the online garbage collector, which deletes untagged manifests without the manifest
 * service: its report of a run, published in-process, is what makes the cache forget them.
 */
class CollectedManifestsTest {
  @TempDir
  Path root;
  private RunningManifestService service;

  @BeforeEach
  void start() {
    service = RunningManifestService.start(root, true, Map.of());
  }

  @AfterEach
  void stop() {
    service.close();
  }

  @Test
  void aManifestTheCollectorReportsDeletedIsForgottenByTheCache() throws Exception {
    knowImages(service, 'a', 'b');
    push(service, digest('a'), 'a');
    push(service, digest('b'), 'b');
    result(get(service, digest('a')));
    result(get(service, digest('b')));
    // What the collector does: the revision goes, behind the manifest service's back.
    Path revision = root.resolve(StorageLayout.revisionDirectory(RepositoryName.parse(REPO), Digest.parse(digest('a'))));
    Files.delete(revision.resolve("link"));
    Files.delete(revision);
    assertEquals(image('a'), result(get(service, digest('a'))).content(), "answered from the cache until told");

    service.vertx().eventBus().publish(Addresses.GC_COMPLETED, new JsonObject().put("manifestsDeleted",
        new JsonArray().add(new JsonObject().put("repository", REPO).put("digest", digest('a')))));

    failsWith(ErrorCode.MANIFEST_UNKNOWN, get(service, digest('a')));
    assertEquals(image('b'), result(get(service, digest('b'))).content());
  }
}
