package io.berth.common.storage;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.OnContext;
import io.berth.common.testing.OpenFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collector;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemStorageDriverTest extends StorageDriverContract {
  @TempDir
  Path dir;

  private Path root;
  private Vertx vertx;

  @Override
  protected StorageDriver newDriver(Vertx vertx) throws IOException {
    this.vertx = vertx;
    root = Files.createDirectory(dir.resolve("root"));
    return new FileSystemStorageDriver(vertx, root);
  }

  @Override
  protected long openHandles() {
    return OpenFiles.under(root).size();
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

  /**
   * Records each sync as the file system stands at that moment, on the thread that does it. It cannot show that a
   * sync reached the platter, nor what a power loss leaves: only that the driver asks for the syncs it must, in the
   * order that makes a rename durable (file before it, directories after it), and no others.
   */
  private final class RecordingSyncer implements Syncer {
    final List<String> syncs = new ArrayList<>();
    final List<String> threads = new ArrayList<>();
    private final Path watched;
    IOException failFiles;

    RecordingSyncer(Path watched) {
      this.watched = watched;
    }

    @Override
    public synchronized void file(Path path, FileChannel channel) throws IOException {
      threads.add(Thread.currentThread().getName());
      if (failFiles != null) {
        throw failFiles;
      }
      Syncer.FSYNC.file(path, channel);
      syncs.add("file " + relative(path) + ", target " + (Files.exists(watched) ? Files.readString(watched) : "absent"));
    }

    @Override
    public synchronized void directory(Path directory) throws IOException {
      threads.add(Thread.currentThread().getName());
      Syncer.FSYNC.directory(directory);
      syncs.add("directory " + relative(directory) + ", target "
          + (Files.exists(watched) ? Files.readString(watched) : "absent"));
    }

    private String relative(Path path) {
      String name = root.relativize(path).toString();
      return name.replaceAll("\\.tmp-[0-9a-f-]+", ".tmp-*");
    }
  }

  private StorageDriver syncedBy(Syncer syncer) {
    return new FileSystemStorageDriver(vertx, root, 4, syncer);
  }

  @Test
  void writeSyncsTheNewFileBeforeItsRenameThenEachDirectoryThatGotANewName() throws IOException {
    RecordingSyncer syncer = new RecordingSyncer(root.resolve("a/b/link"));
    StorageDriver synced = syncedBy(syncer);

    result(synced.write("a/b/link", Buffer.buffer("first")));
    assertEquals(List.of("file a/b/.tmp-*, target absent", "directory a/b, target first", "directory a, target first",
        "directory , target first"), syncer.syncs);

    syncer.syncs.clear();
    result(synced.write("a/b/link", Buffer.buffer("second")));
    assertEquals(List.of("file a/b/.tmp-*, target first", "directory a/b, target second"), syncer.syncs);
  }

  @Test
  void moveSyncsTheFilesBytesBeforeItsRenameThenEachDirectoryThatGotANewName() throws IOException {
    RecordingSyncer syncer = new RecordingSyncer(root.resolve("blobs/ab/abcd/data"));
    StorageDriver synced = syncedBy(syncer);
    result(OnContext.run(vertx, () -> synced.writer("uploads/1/data", false)
        .compose(writer -> writer.write(Buffer.buffer("verified bytes")).compose(v -> writer.close()))));
    Files.createDirectories(root.resolve("blobs/ab"));
    assertEquals(List.of(), syncer.syncs);

    result(synced.move("uploads/1/data", "blobs/ab/abcd/data"));

    assertEquals(List.of("file uploads/1/data, target absent", "directory blobs/ab/abcd, target verified bytes",
        "directory blobs/ab, target verified bytes"), syncer.syncs);
  }

  @Test
  void streamsTouchesListsAndDeletesSyncNothing() throws IOException {
    RecordingSyncer syncer = new RecordingSyncer(root.resolve("upload/data"));
    StorageDriver synced = syncedBy(syncer);

    result(OnContext.run(vertx, () -> synced.writer("upload/data", false)
        .compose(writer -> writer.write(Buffer.buffer("bytes")).compose(v -> writer.close()))));
    result(OnContext.run(vertx, () -> synced.reader("upload/data", 0, 5)
        .compose(stream -> stream.collect(java.util.stream.Collectors.counting()))));
    result(synced.touch("upload/data"));
    result(synced.list("upload"));
    result(synced.delete("upload"));

    assertEquals(List.of(), syncer.syncs);
  }

  @Test
  void aWriteWhoseSyncFailsFailsAndPublishesNothing() throws IOException {
    write("links/link", "old");
    RecordingSyncer syncer = new RecordingSyncer(root.resolve("links/link"));
    syncer.failFiles = new IOException("EIO");

    failure(syncedBy(syncer).write("links/link", Buffer.buffer("new")));

    assertEquals("old", Files.readString(root.resolve("links/link")));
    assertEquals(List.of("link"), namesOnDisk(root.resolve("links")));
  }

  @Test
  void aMoveWhoseSyncFailsFailsAndMovesNothing() throws IOException {
    write("uploads/1/data", "bytes");
    RecordingSyncer syncer = new RecordingSyncer(root.resolve("blobs/data"));
    syncer.failFiles = new IOException("EIO");

    failure(syncedBy(syncer).move("uploads/1/data", "blobs/data"));

    assertTrue(Files.exists(root.resolve("uploads/1/data")));
    assertFalse(Files.exists(root.resolve("blobs/data")));
  }

  @Test
  void storageWorkRunsOnTheStorageWorkersNotVertxsDefaultPool() {
    RecordingSyncer syncer = new RecordingSyncer(root.resolve("x"));

    result(syncedBy(syncer).write("x", Buffer.buffer("x")));

    assertFalse(syncer.threads.isEmpty());
    assertTrue(syncer.threads.stream().allMatch(name -> name.startsWith(FileSystemStorageDriver.WORKERS)),
        () -> "synced on " + syncer.threads);
  }

  /** A claim's judgement sees the file out of every request's reach, with the time it had when it was taken. */
  @Test
  void aClaimedFileCannotBeTouchedWhileItIsJudged() throws IOException {
    write("blobs/aa/data", "garbage");
    FileTime old = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
    Files.setLastModifiedTime(root.resolve("blobs/aa/data"), old);
    List<String> seen = new ArrayList<>();

    boolean deleted = result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data", modified -> {
      seen.add(String.valueOf(modified));
      return driver.touch("blobs/aa/data").map("touched").otherwise(failure -> failure.getClass().getSimpleName())
          .map(touch -> {
            seen.add(touch);
            return true;
          });
    })));

    assertTrue(deleted);
    assertEquals(List.of(String.valueOf(old.toMillis()), "PathNotFoundException"), seen);
    assertFalse(Files.exists(root.resolve("blobs/aa")));
  }

  /** A reader never sees a spared file missing: the claim only holds it aside while judging. */
  @Test
  void aReadWhileTheFileIsAsideWaitsForTheVerdictAndFindsASparedFile() throws IOException {
    write("blobs/aa/data", "spared");
    Promise<Boolean> verdict = Promise.promise();
    List<Future<?>> reads = new ArrayList<>();

    Future<Boolean> claim = OnContext.run(vertx, () -> driver.claim("blobs/aa/data", modified -> {
      reads.add(driver.read("blobs/aa/data").map(Buffer::toString));
      reads.add(driver.stat("blobs/aa/data").map(StorageDriver.FileStat::size));
      reads.add(driver.reader("blobs/aa/data", 0, 6).compose(stream -> stream.collect(
          Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer))).map(Buffer::toString));
      vertx.setTimer(300, id -> verdict.complete(false));
      return verdict.future();
    }));

    assertFalse(result(claim));
    assertEquals("spared", result(reads.get(0)));
    assertEquals(6L, result(reads.get(1)));
    assertEquals("spared", result(reads.get(2)));
  }

  @Test
  void aReadWhileTheFileIsAsideFindsNothingOnceItIsDeleted() throws IOException {
    write("blobs/aa/data", "garbage");
    List<Future<?>> reads = new ArrayList<>();
    long started = System.currentTimeMillis();

    assertTrue(result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data", modified -> {
      reads.add(driver.stat("blobs/aa/data"));
      Promise<Boolean> verdict = Promise.promise();
      vertx.setTimer(200, id -> verdict.complete(true));
      return verdict.future();
    }))));

    assertTrue(failure(reads.get(0)) instanceof PathNotFoundException);
    assertTrue(System.currentTimeMillis() - started < 3_000, "waited past the verdict");
  }

  @Test
  void aTouchBeforeTheClaimShowsInTheTimeJudged() throws IOException {
    write("blobs/aa/data", "in use");
    Files.setLastModifiedTime(root.resolve("blobs/aa/data"), FileTime.from(Instant.parse("2024-01-01T00:00:00Z")));
    long before = System.currentTimeMillis();
    result(driver.touch("blobs/aa/data"));
    List<Long> judged = new ArrayList<>();

    result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data", modified -> {
      judged.add(modified);
      return Future.succeededFuture(false);
    })));

    assertTrue(judged.get(0) >= before - 1000, "judged " + judged);
    assertEquals("in use", read("blobs/aa/data"));
  }

  /** A link, unlike a rename, never replaces a copy a request stored while the file was aside. */
  @Test
  void aCopyStoredWhileTheFileWasAsideWinsOverThePutBackOne() throws IOException {
    write("blobs/aa/data", "old copy");

    boolean deleted = result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data",
        modified -> driver.write("blobs/aa/data", Buffer.buffer("new copy")).map(false))));

    assertFalse(deleted);
    assertEquals("new copy", read("blobs/aa/data"));
    assertEquals(List.of("data"), namesOnDisk(root.resolve("blobs/aa")));
  }

  @Test
  void aClaimThatDeletesLeavesADirectoryHoldingMoreThanTheFile() throws IOException {
    write("blobs/aa/data", "garbage");
    write("blobs/aa/other", "stays");

    assertTrue(result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data",
        modified -> Future.succeededFuture(true)))));

    assertEquals(List.of("other"), namesOnDisk(root.resolve("blobs/aa")));
  }
}
