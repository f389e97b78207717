package io.berth.common.storage;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStorageDriverTest extends StorageDriverContract {
  @TempDir
  Path dir;

  private Path root;

  @Override
  protected StorageDriver newDriver(Vertx vertx) throws IOException {
    root = Files.createDirectory(dir.resolve("root"));
    return new FileSystemStorageDriver(vertx, root);
  }

  private List<String> namesOnDisk(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(child -> child.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aCrashLeftoverTempFileIsHiddenFromList() throws IOException {
    write("tags/latest", "x");
    Files.writeString(root.resolve("tags/.tmp-0b7c9b5e-partial"), "half");

    assertEquals(List.of("latest"), result(driver.list("tags")));
  }

  @Test
  void writeLeavesNoTempFileBehind() throws IOException {
    write("links/a", "1");
    write("links/a", "2");

    assertEquals(List.of("a"), namesOnDisk(root.resolve("links")));
  }

  @Test
  void touchSetsAnOldFilesTimeToNowAndLeavesItsBytes() throws IOException {
    write("blobs/data", "bytes");
    FileTime yesterday = FileTime.from(Instant.now().minus(Duration.ofDays(1)));
    Files.setLastModifiedTime(root.resolve("blobs/data"), yesterday);
    Instant before = Instant.now().minusSeconds(1);

    result(driver.touch("blobs/data"));

    assertTrue(Files.getLastModifiedTime(root.resolve("blobs/data")).toInstant().isAfter(before));
    assertEquals("bytes", Files.readString(root.resolve("blobs/data")));
  }

  @Test
  void filesLieUnderTheRootAtTheirPath() throws IOException {
    write("docker/registry/v2/blobs/sha256/ab/abc/data", "bytes");

    assertEquals("bytes", Files.readString(root.resolve("docker/registry/v2/blobs/sha256/ab/abc/data")));
    assertEquals(root.resolve("docker/registry/v2/blobs/sha256/ab/abc/data"),
        driver.localPath("docker/registry/v2/blobs/sha256/ab/abc/data").orElseThrow());
  }

  @Test
  void escapingPathsLeaveFilesBesideTheRootUntouched() throws IOException {
    Path outside = Files.writeString(dir.resolve("outside"), "precious");
    write("inside", "x");

    pathsEscapingTheRootAreRefused("../outside");

    assertEquals("precious", Files.readString(outside));
    assertEquals(List.of("outside", "root"), namesOnDisk(dir));
    assertTrue(Files.isRegularFile(root.resolve("inside")));
  }
}
