package io.berth.blob.usage;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Sha256;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.storage.s3.S3StorageDriver;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One walk over real storage in distribution's layout, through the storage driver: a data directory, and an S3 bucket
 * (S3Proxy) where there are no directories and every listing is one of keys.
 */
class UsageWalkTest {
  @S3Server
  private static S3TestServer server;

  @TempDir
  Path root;
  private Vertx vertx;
  private StorageDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    if (vertx != null) {
      result(vertx.close());
    }
  }

  private void open(String storage) {
    vertx = Vertx.vertx();
    driver = storage.equals("s3")
        ? S3StorageDriver.open(vertx, server.config(server.newBucket(), "/usage"))
        : new FileSystemStorageDriver(vertx, root);
  }

  private void store() {
    Digest shared = blob("0123456789");
    Digest manifest = blob("a manifest's twenty!");
    blob("thirty bytes nobody links to..");
    Digest missing = Sha256.of("deleted meanwhile".getBytes(StandardCharsets.UTF_8));
    link(StorageLayout.layerLink(name("team/app"), shared), shared);
    link(StorageLayout.revisionLink(name("team/app"), manifest), manifest);
    link(StorageLayout.layerLink(name("team/app"), manifest), manifest);
    link(StorageLayout.layerLink(name("team/app/nested"), shared), shared);
    link(StorageLayout.layerLink(name("team/other"), missing), missing);
    result(driver.write(StorageLayout.REPOSITORIES + "/Not A Name/_layers/link", Buffer.buffer("x")));
  }

  private Digest blob(String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Digest digest = Sha256.of(bytes);
    result(driver.write(StorageLayout.blobData(digest), Buffer.buffer(bytes)));
    return digest;
  }

  private void link(String path, Digest digest) {
    result(driver.write(path, Buffer.buffer(digest.toString())));
  }

  private static RepositoryName name(String name) {
    return RepositoryName.parse(name);
  }

  private StorageUsage walk(int top) {
    return result(OnContext.run(vertx, () -> new UsageWalk(driver, top).walk()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"filesystem", "s3"})
  void totalsCountEachStoredBlobOnceAndRepositoriesCountWhatTheyLinkAndIsStored(String storage) {
    open(storage);
    store();

    StorageUsage usage = walk(10);

    assertEquals(10 + 20 + 30, usage.bytes());
    assertEquals(3, usage.blobs());
    assertEquals(3, usage.repositories(), "team/app, team/app/nested, team/other; not an invalid name");
    assertEquals(List.of(
        new StorageUsage.RepositoryUsage("team/app", 30, 2),
        new StorageUsage.RepositoryUsage("team/app/nested", 10, 1),
        new StorageUsage.RepositoryUsage("team/other", 0, 0)), usage.largest());
  }

  @ParameterizedTest
  @ValueSource(strings = {"filesystem", "s3"})
  void onlyTheLargestRepositoriesAreReportedOneByOne(String storage) {
    open(storage);
    store();

    assertEquals(List.of(new StorageUsage.RepositoryUsage("team/app", 30, 2)), walk(1).largest());
    StorageUsage none = walk(0);
    assertEquals(List.of(), none.largest());
    assertEquals(3, none.repositories());
  }

  @ParameterizedTest
  @ValueSource(strings = {"filesystem", "s3"})
  void anEmptyStorageHasNothing(String storage) {
    open(storage);

    assertEquals(new StorageUsage(0, 0, 0, List.of()), walk(5));
  }
}
