package io.berth.blob.store;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the blob store does for a concurrent garbage collection: a blob it answers for, or keeps at a commit, gets
 * a fresh modification time, so the collector (which spares what changed within its grace period) leaves it alone.
 */
@ExtendWith(VertxExtension.class)
class BlobStoreRefreshTest {
  private static final RepositoryName REPO = RepositoryName.parse("team/app");
  private static final Buffer CONTENT = TestBytes.random(10_000, 3);
  private static final Digest DIGEST = TestBytes.sha256(CONTENT);
  private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
  private static final Duration REFRESH_AFTER = Duration.ofMinutes(5);

  @TempDir
  Path root;

  private FileSystemStorageDriver driver;
  private Path data;

  @BeforeEach
  void storeAnHourOldBlob(Vertx vertx) throws IOException {
    driver = new FileSystemStorageDriver(vertx, root);
    data = root.resolve(StorageLayout.blobData(DIGEST));
    Files.createDirectories(data.getParent());
    Files.write(data, CONTENT.getBytes());
    Files.setLastModifiedTime(data, HOUR_AGO);
    result(driver.write(StorageLayout.layerLink(REPO, DIGEST), StorageLayout.link(DIGEST)));
  }

  private static boolean recent(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minus(REFRESH_AFTER));
  }

  @Test
  void aStatOfABlobOlderThanTheRefreshIntervalSetsItsTimeToNow() throws IOException {
    result(new BlobStore(driver, REFRESH_AFTER).stat(REPO, DIGEST));

    assertTrue(recent(data));
  }

  @Test
  void aStatOfARecentlyRefreshedBlobDoesNotWriteItsTime() throws IOException {
    FileTime minuteAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(1)));
    Files.setLastModifiedTime(data, minuteAgo);

    result(new BlobStore(driver, REFRESH_AFTER).stat(REPO, DIGEST));

    assertEquals(minuteAgo, Files.getLastModifiedTime(data));
  }

  @Test
  void withoutOnlineCollectionAStatLeavesTheTimeAlone() throws IOException {
    result(new BlobStore(driver).stat(REPO, DIGEST));

    assertEquals(HOUR_AGO, Files.getLastModifiedTime(data));
  }

  @Test
  void aBlobTheCollectorHasClaimedIsUnknown() throws IOException {
    Files.move(data, data.resolveSibling(".gc-claimed"));

    failsWith(ErrorCode.BLOB_UNKNOWN, new BlobStore(driver, REFRESH_AFTER).stat(REPO, DIGEST));
  }

  @Test
  void committingBytesAlreadyStoredRefreshesTheStoredCopy() throws IOException {
    UploadId upload = UploadId.parse("5ec0dd00-9d3a-4b7e-8f00-0123456789ab");
    result(driver.write(StorageLayout.uploadData(RepositoryName.parse("team/other"), upload), CONTENT));

    result(new BlobStore(driver).commit(RepositoryName.parse("team/other"), upload, DIGEST));

    assertTrue(recent(data));
    assertTrue(Files.exists(root.resolve(StorageLayout.layerLink(RepositoryName.parse("team/other"), DIGEST))));
  }

  @Test
  void committingAnUploadWrittenLongAgoStoresItWithAFreshTime() throws IOException {
    Files.delete(data);
    UploadId upload = UploadId.parse("5100dd00-9d3a-4b7e-8f00-0123456789ab");
    String uploadData = StorageLayout.uploadData(REPO, upload);
    result(driver.write(uploadData, CONTENT));
    Files.setLastModifiedTime(root.resolve(uploadData), HOUR_AGO);

    result(new BlobStore(driver).commit(REPO, upload, DIGEST));

    assertTrue(recent(data));
    assertFalse(Files.exists(root.resolve(uploadData)));
    assertEquals(CONTENT, Buffer.buffer(Files.readAllBytes(data)));
  }
}
