package io.berth.manifest.store;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The manifest store's part in garbage collection: refreshing what an index relies on, deleting a repository. */
@ExtendWith(VertxExtension.class)
class ManifestStoreGcTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final RepositoryName NESTED = RepositoryName.parse("team/app/nested");
  private static final Buffer MANIFEST = Buffer.buffer("{\"schemaVersion\":2,\"config\":{},\"layers\":[]}");
  private static final Digest DIGEST = TestBytes.sha256(MANIFEST);
  private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
  private static final Duration REFRESH_AFTER = Duration.ofMinutes(5);
  private static final Tag V1 = Tag.parse("v1");

  @TempDir
  Path root;

  private FileSystemStorageDriver driver;
  private Path revisionLink;

  @BeforeEach
  void storeAnHourOldRevision(Vertx vertx) throws IOException {
    driver = new FileSystemStorageDriver(vertx, root);
    result(new ManifestStore(driver, new ManifestCache()).put(REPO, DIGEST, MANIFEST, V1));
    revisionLink = root.resolve(StorageLayout.revisionLink(REPO, DIGEST));
    Files.setLastModifiedTime(revisionLink, HOUR_AGO);
  }

  @Test
  void aChildAnIndexReliesOnGetsItsRevisionLinkRefreshed() throws IOException {
    assertTrue(result(new ManifestStore(driver, new ManifestCache(), REFRESH_AFTER).existsForReference(REPO, DIGEST)));

    assertTrue(Files.getLastModifiedTime(revisionLink).toInstant().isAfter(Instant.now().minus(REFRESH_AFTER)));
  }

  @Test
  void withoutOnlineCollectionTheRevisionLinkKeepsItsTime() throws IOException {
    assertTrue(result(new ManifestStore(driver, new ManifestCache()).existsForReference(REPO, DIGEST)));

    assertEquals(HOUR_AGO, Files.getLastModifiedTime(revisionLink));
  }

  @Test
  void aChildTheCollectorHasClaimedIsMissing() throws IOException {
    Files.move(revisionLink, revisionLink.resolveSibling(".gc-claimed"));

    assertFalse(result(new ManifestStore(driver, new ManifestCache(), REFRESH_AFTER)
        .existsForReference(REPO, DIGEST)));
  }

  @Test
  void deletingARepositoryRemovesItsLinksButNotNestedRepositoriesNorBlobs() throws IOException {
    ManifestStore store = new ManifestStore(driver, new ManifestCache());
    result(store.put(NESTED, DIGEST, MANIFEST, V1));
    result(driver.write(StorageLayout.layerLink(REPO, DIGEST), StorageLayout.link(DIGEST)));
    result(driver.write(StorageLayout.uploadStartedAt(REPO, UploadId.parse("a0000000-9d3a-4b7e-8f00-0123456789ab")), Buffer.buffer("now")));

    result(store.deleteRepository(REPO));

    for (String contents : StorageLayout.repositoryContents(REPO)) {
      assertFalse(Files.exists(root.resolve(contents)), contents);
    }
    failsWith(ErrorCode.NAME_UNKNOWN, store.tags(REPO));
    assertEquals(List.of(V1), result(store.tags(NESTED)));
    assertTrue(Files.exists(root.resolve(StorageLayout.blobData(DIGEST))));
  }

  @Test
  void deletingARepositoryThatOnlyHoldsOthersIsNameUnknown() {
    ManifestStore store = new ManifestStore(driver, new ManifestCache());
    result(store.put(NESTED, DIGEST, MANIFEST, V1));
    result(store.deleteRepository(REPO));

    failsWith(ErrorCode.NAME_UNKNOWN, store.tags(RepositoryName.parse("team")));
    failsWith(ErrorCode.NAME_UNKNOWN, store.deleteRepository(RepositoryName.parse("team")));
    failsWith(ErrorCode.NAME_UNKNOWN, store.deleteRepository(REPO));
  }
}
