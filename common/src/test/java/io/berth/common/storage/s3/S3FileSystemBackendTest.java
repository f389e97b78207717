package io.berth.common.storage.s3;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver on S3Proxy over its file system backend ({@code jclouds.provider=filesystem}), the backend of a
 * single-host S3Proxy deployment: it keeps each key as a file, lists its directories as folder markers ({@code a/b/})
 * and never answers the delete of a key that names a directory with files in it. Its PUT is not atomic (a reader or a
 * listing can see an object being written), so the whole driver contract does not hold on it; what a push and a delete
 * need does.
 */
class S3FileSystemBackendTest {
  @S3Server(S3Server.Backend.FILE_SYSTEM)
  private static S3TestServer server;
  private Vertx vertx;
  private StorageDriver driver;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    // Shorter than the default: before the fix, the deletes below waited for it.
    driver = S3StorageDriver.open(vertx, server.config(server.newBucket(), "root")
        .withCallTimeout(Duration.ofSeconds(10)));
  }

  @AfterEach
  void close() {
    driver.close();
    vertx.close();
  }

  private void write(String path, String content) {
    result(driver.write(path, Buffer.buffer(content)));
  }

  @Test
  void anUploadDirectoryIsDeletedAfterItsDataMovedAsACommitDoes() {
    write("repositories/app/_uploads/u1/data", "layer");
    write("repositories/app/_uploads/u1/startedat", "2026-12-06T00:00:00Z");
    write("repositories/app/_uploads/u1/hashstates/sha256/5", "state");

    result(driver.move("repositories/app/_uploads/u1/data", "blobs/sha256/ab/abcd/data"));
    result(driver.delete("repositories/app/_uploads/u1"));

    assertInstanceOf(PathNotFoundException.class, failure(driver.stat("repositories/app/_uploads/u1")));
    assertEquals("layer", result(driver.read("blobs/sha256/ab/abcd/data")).toString());
  }

  @Test
  void deleteRemovesAWholeTreeAndKeepsItsNeighbours() {
    write("repo/_layers/sha256/aa/link", "x");
    write("repo/_layers/sha256/bb/link", "y");
    write("repo-other/link", "kept");

    result(driver.delete("repo"));

    assertInstanceOf(PathNotFoundException.class, failure(driver.stat("repo")));
    assertEquals(List.of("repo-other"), result(driver.list("")));
  }

  @Test
  void moveOfADirectoryReplacesTheTargetDirectory() {
    write("staging/tag/current/link", "sha256:new");
    write("staging/tag/index/new/link", "sha256:new");
    write("tags/tag/current/link", "sha256:old");
    write("tags/tag/index/old/link", "sha256:old");

    result(driver.move("staging/tag", "tags/tag"));

    assertEquals("sha256:new", result(driver.read("tags/tag/current/link")).toString());
    assertEquals(List.of("new"), result(driver.list("tags/tag/index")));
    assertInstanceOf(PathNotFoundException.class, failure(driver.stat("staging/tag")));
  }
}
