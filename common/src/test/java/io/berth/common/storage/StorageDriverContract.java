package io.berth.common.storage;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.storage.StorageDriver.FileInfo;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link StorageDriver} must have, after distribution's {@code registry/storage/driver/testsuites}.
 * A driver's test extends this class and supplies a driver over fresh, empty storage for each test.
 */
@ExtendWith(VertxExtension.class)
public abstract class StorageDriverContract {
  private static Vertx vertx;

  protected StorageDriver driver;

  /** A driver over empty storage, distinct from the one of any earlier test. */
  protected abstract StorageDriver newDriver(Vertx vertx) throws Exception;

  /**
   * What the driver holds open right now for the storage of the current test: files, connections. Each driver's
   * test says how to count them (open descriptors under the root, leased connections), so that the suite can see
   * that every stream released what it held.
   */
  protected abstract long openHandles() throws Exception;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  @BeforeEach
  void createDriver() throws Exception {
    driver = newDriver(vertx);
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private static Buffer filled(char c, int size) {
    return Buffer.buffer(String.valueOf(c).repeat(size));
  }

  protected void write(String path, String content) {
    result(driver.write(path, Buffer.buffer(content)));
  }

  protected String read(String path) {
    return result(driver.read(path)).toString();
  }

  private static void assertPathNotFound(Future<?> future) {
    assertInstanceOf(PathNotFoundException.class, failure(future));
  }

  private Buffer readRange(String path, long offset, long length) {
    return result(OnContext.run(vertx, () -> driver.reader(path, offset, length)
        .compose(stream -> stream.collect(Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer)))));
  }

  /** Opens a writer, writes the parts one after the other, and ends it with close or commit; answers its size. */
  private long writeWith(String path, boolean append, boolean commit, Buffer... parts) {
    return result(OnContext.run(vertx, () -> driver.writer(path, append).compose(writer -> {
      Future<Void> written = Future.succeededFuture();
      for (Buffer part : parts) {
        written = written.compose(v -> writer.write(part));
      }
      return written.compose(v -> commit ? writer.commit() : writer.close()).map(v -> writer.size());
    })));
  }

  private long writeWith(String path, boolean append, boolean commit, String... parts) {
    return writeWith(path, append, commit, java.util.Arrays.stream(parts).map(Buffer::buffer).toArray(Buffer[]::new));
  }

  private long sizeOfWriter(String path) {
    return result(OnContext.run(vertx, () -> driver.writer(path, true)
        .compose(writer -> writer.close().map(v -> writer.size()))));
  }

  @Test
  void writeThenReadReturnsTheSameBytes() {
    Buffer content = TestBytes.random(100_000, 1);

    result(driver.write("a/b/c/blob", content));

    assertEquals(content, result(driver.read("a/b/c/blob")));
  }

  @Test
  void writeOfEmptyContentCreatesAnEmptyFile() {
    result(driver.write("empty", Buffer.buffer()));

    assertEquals(0, result(driver.read("empty")).length());
    assertEquals(0, result(driver.stat("empty")).size());
  }

  @Test
  void writeReplacesTheWholeFile() {
    write("link", "sha256:longer-old-content");

    write("link", "short");

    assertEquals("short", read("link"));
  }

  @Test
  void writeReplacesAtomicallyWhileAReaderLoops() {
    Buffer first = filled('a', 300_000);
    Buffer second = filled('b', 200_000);
    result(driver.write("hot/file", first));
    AtomicBoolean writing = new AtomicBoolean(true);

    Future<Integer> reads = Future.all(readWhile(writing, "hot/file", Set.of(first, second)),
        readWhile(writing, "hot/file", Set.of(first, second))).map(both -> both.<Integer>resultAt(0));
    Future<Void> rewrites = rewrite("hot/file", first, second, 80).onComplete(done -> writing.set(false));

    result(rewrites);
    assertTrue(result(reads) > 0);
    assertEquals(second, result(driver.read("hot/file")));
  }

  /**
   * Reads until the writes are done, each read started when the last one ended. One promise for the whole loop, not
   * a future composed on each read: thousands of nested composes (a durable write is slow) overflowed the stack
   * when the last read completed them all at once.
   */
  private Future<Integer> readWhile(AtomicBoolean writing, String path, Set<Buffer> complete) {
    Promise<Integer> done = Promise.promise();
    readAgain(writing, path, complete, 0, done);
    return done.future();
  }

  private void readAgain(AtomicBoolean writing, String path, Set<Buffer> complete, int count, Promise<Integer> done) {
    driver.read(path).onComplete(read -> {
      if (read.failed()) {
        done.fail(read.cause());
      } else if (!complete.contains(read.result())) {
        done.fail(new AssertionError("a reader saw " + read.result().length() + " bytes mid-write"));
      } else if (writing.get()) {
        readAgain(writing, path, complete, count + 1, done);
      } else {
        done.complete(count + 1);
      }
    });
  }

  private Future<Void> rewrite(String path, Buffer even, Buffer odd, int times) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      Buffer content = i % 2 == 0 ? even : odd;
      chain = chain.compose(v -> driver.write(path, content));
    }
    return chain;
  }

  @Test
  void readOfAMissingPathFailsWithPathNotFound() {
    assertPathNotFound(driver.read("no/such/file"));
  }

  @Test
  void statOfAMissingPathFailsWithPathNotFound() {
    assertPathNotFound(driver.stat("no/such/file"));
  }

  @Test
  void touchOfAMissingPathFailsWithPathNotFound() {
    assertPathNotFound(driver.touch("no/such/file"));
  }

  @Test
  void listOfAMissingPathFailsWithPathNotFound() {
    assertPathNotFound(driver.list("no/such/dir"));
  }

  @Test
  void readerOfAMissingPathFailsWithPathNotFound() {
    assertPathNotFound(driver.reader("no/such/file", 0, 1));
  }

  @Test
  void moveOfAMissingSourceFailsWithPathNotFound() {
    assertPathNotFound(driver.move("no/such/file", "target"));
  }

  @Test
  void statTellsFilesFromDirectories() {
    write("dir/file", "12345");

    StorageDriver.FileStat file = result(driver.stat("dir/file"));
    StorageDriver.FileStat dir = result(driver.stat("dir"));

    assertEquals(5, file.size());
    assertFalse(file.directory());
    assertTrue(file.modifiedMillis() > 0);
    assertTrue(dir.directory());
  }

  @Test
  void listAnswersTheDirectChildrenSorted() {
    for (String name : List.of("b", "a", "C", "10", "9", "sub/deeper/file")) {
      write("dir/" + name, name);
    }

    assertEquals(List.of("10", "9", "C", "a", "b", "sub"), result(driver.list("dir")));
  }

  @Test
  void listShowsOnlyCompleteEntriesWhileWritesAreUnderWay() {
    List<String> names = IntStream.range(0, 40).mapToObj(i -> String.format("tag-%02d", i)).toList();
    write("tags/tag-00", "seed");
    AtomicBoolean writing = new AtomicBoolean(true);
    Set<String> seen = new TreeSet<>();

    Future<Void> lists = listWhile(writing, "tags", seen);
    Future<?> writes = Future.all(names.stream().map(name -> driver.write("tags/" + name, TestBytes.random(64_000, 2)))
        .toList()).onComplete(done -> writing.set(false));

    result(writes);
    result(lists);
    assertTrue(names.containsAll(seen), () -> "list showed " + seen);
    assertEquals(names, result(driver.list("tags")));
  }

  /** As {@link #readWhile}: one promise for the whole loop. */
  private Future<Void> listWhile(AtomicBoolean writing, String path, Set<String> seen) {
    Promise<Void> done = Promise.promise();
    listAgain(writing, path, seen, done);
    return done.future();
  }

  private void listAgain(AtomicBoolean writing, String path, Set<String> seen, Promise<Void> done) {
    driver.list(path).onComplete(listed -> {
      if (listed.failed()) {
        done.fail(listed.cause());
        return;
      }
      synchronized (seen) {
        seen.addAll(listed.result());
      }
      if (writing.get()) {
        listAgain(writing, path, seen, done);
      } else {
        done.complete();
      }
    });
  }

  @Test
  void moveOfAFileCreatesTheTargetsParents() {
    write("uploads/1/data", "bytes");

    result(driver.move("uploads/1/data", "blobs/ab/abcd/data"));

    assertEquals("bytes", read("blobs/ab/abcd/data"));
    assertPathNotFound(driver.stat("uploads/1/data"));
  }

  @Test
  void moveOfAFileReplacesTheTarget() {
    write("from", "new");
    write("to", "old content");

    result(driver.move("from", "to"));

    assertEquals("new", read("to"));
    assertEquals(List.of("to"), result(driver.list("")));
  }

  @Test
  void moveOfADirectoryReplacesTheTargetDirectory() {
    write("staging/tag/current/link", "sha256:new");
    write("staging/tag/index/new/link", "sha256:new");
    write("tags/tag/current/link", "sha256:old");
    write("tags/tag/index/old/link", "sha256:old");

    result(driver.move("staging/tag", "tags/tag"));

    assertEquals("sha256:new", read("tags/tag/current/link"));
    assertEquals(List.of("new"), result(driver.list("tags/tag/index")));
    assertPathNotFound(driver.stat("staging/tag"));
  }

  @Test
  void moveOfADirectoryCreatesTheTargetsParents() {
    write("src/dir/a", "1");
    write("src/dir/b", "2");

    result(driver.move("src/dir", "x/y/z"));

    assertEquals(List.of("a", "b"), result(driver.list("x/y/z")));
    assertEquals("2", read("x/y/z/b"));
  }

  @Test
  void deleteRemovesAWholeTree() {
    write("repo/_layers/sha256/aa/link", "x");
    write("repo/_layers/sha256/bb/link", "y");
    write("repo/_uploads/u/data", "z");
    write("other", "kept");

    result(driver.delete("repo"));

    assertPathNotFound(driver.stat("repo"));
    assertEquals(List.of("other"), result(driver.list("")));
  }

  @Test
  void deleteOfAFileRemovesOnlyThatFile() {
    write("dir/a", "1");
    write("dir/b", "2");

    result(driver.delete("dir/a"));

    assertEquals(List.of("b"), result(driver.list("dir")));
  }

  @Test
  void deleteOfAMissingPathSucceeds() {
    result(driver.delete("no/such/path"));
  }

  @Test
  void writerCreatesAMissingFileAndItsParents() {
    writeWith("new/upload/data", false, true, "hello", " ", "world");

    assertEquals("hello world", read("new/upload/data"));
  }

  @Test
  void anAppendingWriterContinuesWhereTheClosedOneStopped() {
    assertEquals(5, writeWith("upload/data", false, false, "hello"));

    assertEquals(5, sizeOfWriter("upload/data"));
    assertEquals(11, writeWith("upload/data", true, false, " world"));
    assertEquals(12, writeWith("upload/data", true, true, "!"));

    assertEquals("hello world!", read("upload/data"));
  }

  /**
   * Pieces larger than S3's 5 MiB part minimum and smaller ones, across writers: each close may leave a short last
   * part, which the next writer must take up again (distribution's s3 writer re-uploads it).
   */
  @Test
  void writersAcrossManyPiecesOfAnySizeKeepEveryByteInOrder() {
    Buffer content = TestBytes.random(17 * 1024 * 1024 + 7, 4);
    int[] cuts = {0, 6 * 1024 * 1024 + 1, 7 * 1024 * 1024, 10 * 1024 * 1024 + 3, 10 * 1024 * 1024 + 10,
        content.length()};

    writeWith("big/data", false, false, content.slice(cuts[0], cuts[1]), content.slice(cuts[1], cuts[2]));
    writeWith("big/data", true, false, content.slice(cuts[2], cuts[3]));
    assertEquals(cuts[4], writeWith("big/data", true, false, content.slice(cuts[3], cuts[4])));
    assertEquals(content.length(), writeWith("big/data", true, true, content.slice(cuts[4], cuts[5])));

    assertEquals(content, result(driver.read("big/data")));
  }

  @Test
  void writesMadeWithoutWaitingAreKeptInTheirOrder() {
    Buffer content = TestBytes.random(6 * 1024 * 1024, 5);

    result(OnContext.run(vertx, () -> driver.writer("fast/data", false).compose(writer -> {
      List<Future<Void>> writes = new ArrayList<>();
      for (int offset = 0; offset < content.length(); offset += 256 * 1024) {
        writes.add(writer.write(content.slice(offset, Math.min(content.length(), offset + 256 * 1024))));
      }
      return Future.all(writes).compose(v -> writer.commit());
    })));

    assertEquals(content, result(driver.read("fast/data")));
  }

  @Test
  void anEmptyCommittedFileIsThere() {
    writeWith("empty/data", false, false, new Buffer[0]);

    assertEquals(0, writeWith("empty/data", true, true, new Buffer[0]));

    assertEquals(0, result(driver.read("empty/data")).length());
  }

  @Test
  void appendingToAMissingFileFailsWithPathNotFoundAndCreatesNothing() {
    assertInstanceOf(PathNotFoundException.class, failure(driver.writer("gone/upload/data", true)));

    assertInstanceOf(PathNotFoundException.class, failure(driver.stat("gone")));
  }

  @Test
  void aCancelledFileIsGoneWithEveryByteOfEarlierWriters() {
    writeWith("cancelled/data", false, false, "first");

    result(OnContext.run(vertx, () -> driver.writer("cancelled/data", true)
        .compose(writer -> writer.write(Buffer.buffer("second")).compose(v -> writer.cancel()))));

    assertPathNotFound(driver.stat("cancelled/data"));
    assertPathNotFound(driver.writer("cancelled/data", true));
  }

  @Test
  void deleteOfADirectoryTakesAWriteInProgressWithIt() {
    write("uploads/1/startedat", "now");
    writeWith("uploads/1/data", false, false, "half an upload");

    result(driver.delete("uploads"));

    assertPathNotFound(driver.writer("uploads/1/data", true));
    assertPathNotFound(driver.stat("uploads"));
  }

  /**
   * A file being written is never out of sight, so upload purging can find what a lost session left: list shows it,
   * or unfinishedWrites does (S3's multipart uploads), until a delete of its directory takes it.
   */
  @Test
  void aFileBeingWrittenIsListedOrReportedUnfinishedUntilItsDirectoryIsDeleted() {
    writeWith("pending/1/data", false, false, "half an upload");
    writeWith("pending/2/data", false, true, "a whole file");

    List<StorageDriver.UnfinishedWrite> unfinished = result(driver.unfinishedWrites("pending"));
    List<String> listed = result(driver.list("pending/1").recover(failure -> Future.succeededFuture(List.of())));

    assertTrue(listed.contains("data") || unfinished.stream().anyMatch(write -> write.path().equals("pending/1/data")),
        "listed " + listed + ", unfinished " + unfinished);
    assertEquals(List.of(), unfinished.stream().filter(write -> !write.path().equals("pending/1/data")).toList());
    assertTrue(unfinished.stream().allMatch(write -> write.startedMillis() > 0), unfinished.toString());
    result(driver.delete("pending/1"));
    assertEquals(List.of(), result(driver.unfinishedWrites("pending")));
    assertEquals(List.of(), result(driver.unfinishedWrites("nothing/here")));
    assertEquals("a whole file", read("pending/2/data"));
  }

  @Test
  void readerReturnsExactlyTheRequestedRange() {
    Buffer content = TestBytes.random(1_048_577, 3);
    result(driver.write("blob", content));

    assertEquals(content, readRange("blob", 0, content.length()));
    assertEquals(content.slice(1000, 301_000), readRange("blob", 1000, 300_000));
    assertEquals(content.slice(content.length() - 10, content.length()), readRange("blob", content.length() - 10, 10));
    assertEquals(content.slice(7, 8), readRange("blob", 7, 1));
  }

  private void assertEverythingReleased() {
    Eventually.await(vertx, () -> {
      try {
        return Future.succeededFuture(openHandles());
      } catch (Exception e) {
        return Future.failedFuture(e);
      }
    }, open -> open == 0);
  }

  @Test
  void readersReadToTheirEndReleaseWhatTheyHeld() {
    Buffer content = TestBytes.random(600_000, 4);
    result(driver.write("blob", content));

    for (int i = 0; i < 50; i++) {
      assertEquals(content, readRange("blob", 0, content.length()));
    }

    assertEverythingReleased();
  }

  @Test
  void aReaderOfNothingEndsAndReleases() {
    result(driver.write("blob", Buffer.buffer("x")));

    assertEquals(Buffer.buffer(), readRange("blob", 1, 0));

    assertEverythingReleased();
  }

  /** As a Vert.x pipe leaves its source when the destination fails: a client that hung up mid-download. */
  @Test
  void aReaderPipedIntoADestinationThatFailsReleases() {
    Buffer content = TestBytes.random(2_000_000, 5);
    result(driver.write("blob", content));

    for (int i = 0; i < 20; i++) {
      failure(OnContext.run(vertx, () -> driver.reader("blob", 0, content.length())
          .compose(stream -> stream.pipeTo(new HungUpResponse()))));
    }

    assertEverythingReleased();
  }

  /** A consumer that stops part-way and lets go (unsets its handler) without ever seeing the end. */
  @Test
  void aReaderLetGoOfMidStreamReleases() {
    Buffer content = TestBytes.random(2_000_000, 6);
    result(driver.write("blob", content));

    Buffer first = result(OnContext.run(vertx, () -> driver.reader("blob", 0, content.length()).compose(stream -> {
      Promise<Buffer> received = Promise.promise();
      stream.handler(chunk -> {
        stream.pause();
        stream.handler(null);
        received.tryComplete(chunk);
      });
      return received.future();
    })));

    assertEquals(content.slice(0, first.length()), first);
    assertEverythingReleased();
  }

  @Test
  void aReaderLetGoOfBeforeItStartedReleases() {
    result(driver.write("blob", TestBytes.random(100_000, 7)));

    for (int i = 0; i < 20; i++) {
      result(OnContext.run(vertx, () -> driver.reader("blob", 0, 100_000).map(stream -> stream.handler(null))));
    }

    assertEverythingReleased();
  }

  @Test
  void aReaderPastTheEndOfTheFileFailsAndReleases() {
    result(driver.write("blob", TestBytes.random(100_000, 8)));

    failure(OnContext.run(vertx, () -> driver.reader("blob", 50_000, 60_000)
        .compose(stream -> stream.collect(Collectors.summingInt(Buffer::length)))));

    assertEverythingReleased();
  }

  /** A chunk from the bus may be a composite of several buffers, as the chunk sender builds them. */
  @Test
  void writerWritesEveryPartOfACompositeBuffer() {
    Buffer first = TestBytes.random(70_000, 9);
    Buffer second = TestBytes.random(50_000, 10);
    Buffer composite = BufferInternal.buffer(Unpooled.wrappedBuffer(((BufferInternal) first).getByteBuf(),
        ((BufferInternal) second).getByteBuf()));

    result(OnContext.run(vertx, () -> driver.writer("upload/data", false)
        .compose(writer -> writer.write(composite).compose(v -> writer.commit()))));

    assertEquals(first.copy().appendBuffer(second), result(driver.read("upload/data")));
  }

  @Test
  void writersReleaseWhatTheyHeldWhenCommitted() {
    for (int i = 0; i < 20; i++) {
      writeWith("upload/" + i, false, true, Buffer.buffer("hello"), Buffer.buffer(" world"));
    }

    assertEquals("hello world", read("upload/19"));
    assertEverythingReleased();
  }

  /** Fails every write: what an HTTP response does once its client is gone. */
  private static final class HungUpResponse implements WriteStream<Buffer> {
    @Override
    public Future<Void> write(Buffer data) {
      return Future.failedFuture("the client hung up");
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x", "a/../../x", "a/b/../../../x", "/etc/passwd"})
  void pathsEscapingTheRootAreRefused(String path) {
    assertEveryOperationRefuses(path);
  }

  /**
   * A path with a dot segment, an empty segment or a backslash is never one the layout builds: it is refused even
   * where it would stay under the root, as an upload id of {@code ../../../../blobs/…} would have (issue #10).
   */
  @ParameterizedTest
  @ValueSource(strings = {"a/../inside", "./inside", "a/./inside", "a//inside", "inside/", "a\\inside", "inside\u0000",
      "docker/registry/v2/repositories/bob/app/_uploads/../../../../inside", "/"})
  void pathsNotInNormalFormAreRefused(String path) {
    assertEveryOperationRefuses(path);
  }

  /** Files as a walk of {@code path} found them, by path: size and time. */
  private Map<String, FileInfo> walked(String path, List<Integer> pageSizes) {
    Map<String, FileInfo> found = new TreeMap<>();
    AtomicBoolean handling = new AtomicBoolean();
    result(OnContext.run(vertx, () -> driver.walk(path, page -> {
      assertFalse(handling.getAndSet(true), "a page was handed out before the one before was handled");
      pageSizes.add(page.size());
      page.forEach(file -> assertEquals(null, found.put(file.path(), file), file.path() + " twice"));
      Promise<Void> handled = Promise.promise();
      vertx.setTimer(1, id -> {
        handling.set(false);
        handled.complete();
      });
      return handled.future();
    })));
    return found;
  }

  @Test
  void walkHandsOutEveryFileBelowThePathOnePageAtATime() {
    Map<String, Long> expected = new TreeMap<>();
    for (int i = 0; i < StorageDriver.WALK_PAGE + 1; i++) {
      expected.put("w/d" + i % 7 + "/sub" + i % 3 + "/f" + i, (long) (i % 5));
    }
    expected.put("w/top", 3L);
    result(OnContext.run(vertx, () -> BoundedFanOut.map(List.copyOf(expected.entrySet()), 16,
        file -> driver.write(file.getKey(), filled('x', file.getValue().intValue())))));
    write("wx/beside", "not below w");
    write("outside", "not below w");
    long now = System.currentTimeMillis();
    List<Integer> pageSizes = new ArrayList<>();

    Map<String, FileInfo> found = walked("w", pageSizes);

    assertEquals(expected.keySet(), found.keySet());
    found.values().forEach(file -> {
      assertEquals(expected.get(file.path()), file.size(), file.path());
      assertTrue(Math.abs(file.modifiedMillis() - now) < 120_000, file.path() + " time " + file.modifiedMillis());
    });
    assertTrue(pageSizes.size() >= 2, "pages " + pageSizes);
    assertTrue(pageSizes.stream().allMatch(size -> size > 0 && size <= StorageDriver.WALK_PAGE), "pages " + pageSizes);
  }

  @Test
  void walkOfTheRootAndOfAFileFindsWhatIsBelowThem() {
    write("a/b/c", "1");
    write("d", "22");

    assertEquals(Set.of("a/b/c", "d"), walked("", new ArrayList<>()).keySet());
    assertEquals(Map.of(), walked("d", new ArrayList<>()));
  }

  @Test
  void walkOfAMissingPathFindsNothing() {
    assertEquals(Map.of(), walked("no/such/path", new ArrayList<>()));
  }

  @Test
  void aPageThatFailsEndsTheWalkWithItsFailure() {
    write("w/a", "1");
    IllegalStateException refused = new IllegalStateException("refused");

    assertEquals(refused, failure(OnContext.run(vertx, () -> driver.walk("w", page -> Future.failedFuture(refused)))));
  }

  @Test
  void claimDeletesAFileJudgedGarbageByTheTimeItHad() {
    write("blobs/aa/data", "garbage");
    write("blobs/bb/data", "kept");
    long modified = result(driver.stat("blobs/aa/data")).modifiedMillis();
    AtomicLong judged = new AtomicLong(-1);

    boolean deleted = result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data", time -> {
      judged.set(time);
      return Future.succeededFuture(true);
    })));

    assertTrue(deleted);
    assertEquals(modified, judged.get());
    assertPathNotFound(driver.stat("blobs/aa/data"));
    assertEquals(List.of("bb"), result(driver.list("blobs")));
    assertEquals("kept", read("blobs/bb/data"));
  }

  @Test
  void claimLeavesAFileJudgedInUseAsItWas() {
    write("blobs/aa/data", "in use");
    StorageDriver.FileStat before = result(driver.stat("blobs/aa/data"));

    boolean deleted = result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data",
        time -> Future.succeededFuture(false))));

    assertFalse(deleted);
    assertEquals("in use", read("blobs/aa/data"));
    assertEquals(before, result(driver.stat("blobs/aa/data")));
    assertEquals(List.of("data"), result(driver.list("blobs/aa")));
  }

  @Test
  void claimOfAMissingFileDeletesNothingAndJudgesNothing() {
    AtomicBoolean asked = new AtomicBoolean();

    boolean deleted = result(OnContext.run(vertx, () -> driver.claim("blobs/aa/data", time -> {
      asked.set(true);
      return Future.succeededFuture(true);
    })));

    assertFalse(deleted);
    assertFalse(asked.get());
  }

  @Test
  void aClaimWhoseJudgementFailsLeavesTheFile() {
    write("blobs/aa/data", "unknown");
    IllegalStateException unknown = new IllegalStateException("cannot judge");

    assertEquals(unknown, failure(OnContext.run(vertx, () -> driver.claim("blobs/aa/data",
        time -> Future.failedFuture(unknown)))));

    assertEquals("unknown", read("blobs/aa/data"));
    assertEquals(List.of("data"), result(driver.list("blobs/aa")));
  }

  private void assertEveryOperationRefuses(String path) {
    List<Supplier<Future<?>>> operations = new ArrayList<>(List.of(
        () -> driver.read(path),
        () -> driver.write(path, Buffer.buffer("x")),
        () -> driver.stat(path),
        () -> driver.list(path),
        () -> driver.move(path, "inside"),
        () -> driver.move("inside", path),
        () -> driver.delete(path),
        () -> driver.walk(path, page -> Future.succeededFuture()),
        () -> driver.claim(path, modified -> Future.succeededFuture(true)),
        () -> driver.unfinishedWrites(path),
        () -> driver.writer(path, false),
        () -> driver.reader(path, 0, 1)));
    write("inside", "stays");

    for (Supplier<Future<?>> operation : operations) {
      failure(operation.get());
    }

    assertEquals("stays", read("inside"));
  }
}
