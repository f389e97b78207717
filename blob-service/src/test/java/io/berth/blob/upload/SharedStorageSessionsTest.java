package io.berth.blob.upload;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two blob-service processes on one storage, each with its own session table: whichever of them a request reaches,
 * it answers from what is on storage, never from an account another process's writes made stale.
 */
class SharedStorageSessionsTest {
  private static final String REPO = "team/app";
  private static final RepositoryName NAME = RepositoryName.parse(REPO);
  private static final Buffer FIRST = TestBytes.random(300_000, 11);
  private static final Buffer SECOND = TestBytes.random(200_001, 12);
  private static final Buffer THIRD = TestBytes.random(70_000, 13);

  @TempDir
  Path root;
  private Vertx vertx;
  private Process x;
  private Process y;

  @BeforeEach
  void startProcesses() {
    vertx = Vertx.vertx();
    x = new Process();
    y = new Process();
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  /** One blob-service process's upload sessions over the shared storage directory. */
  private final class Process {
    private final UploadSessions sessions = new UploadSessions();
    private final StorageDriver driver = new FileSystemStorageDriver(vertx, root);
    private final BlobStore store = new BlobStore(driver);

    UploadId start() {
      return result(OnContext.run(vertx, () -> sessions.start(driver, NAME))).uuid();
    }

    UploadState status(UploadId uuid) {
      return result(OnContext.run(vertx, () -> sessions.status(driver, NAME, uuid)));
    }

    Future<JsonObject> write(UploadId uuid, long offset, Buffer part, Buffer... whole) {
      String digest = whole.length == 0 ? null : TestBytes.sha256(concat(whole)).toString();
      return OnContext.run(vertx, () -> sessions.openWrite(vertx, driver, store,
              new UploadRequest(REPO, uuid, offset, digest), blob -> { }))
          .compose(address -> ChunkStreams.send(vertx, address, List.of(part)));
    }
  }

  private static Buffer concat(Buffer... parts) {
    Buffer all = Buffer.buffer();
    for (Buffer part : parts) {
      all.appendBuffer(part);
    }
    return all;
  }

  private void assertCommitted(JsonObject answer, Buffer... parts) throws Exception {
    Buffer whole = concat(parts);
    Digest digest = TestBytes.sha256(whole);
    assertEquals(new BlobInfo(digest.toString(), whole.length(), root.resolve(StorageLayout.blobData(digest))
        .toString()), BlobInfo.fromJson(answer));
    assertArrayEquals(whole.getBytes(), Files.readAllBytes(root.resolve(StorageLayout.blobData(digest))));
  }

  @Test
  void aProcessThatStartedASessionSeesTheBytesAnotherWroteAndCompletesWithTheRightDigest() throws Exception {
    UploadId uuid = x.start();
    result(y.write(uuid, 0, FIRST));

    UploadState seenByX = x.status(uuid);
    JsonObject committed = result(x.write(uuid, FIRST.length(), SECOND, FIRST, SECOND));

    assertEquals(new UploadState(uuid, FIRST.length()), seenByX);
    assertCommitted(committed, FIRST, SECOND);
    assertFalse(Files.exists(root.resolve(StorageLayout.upload(NAME, uuid))));
  }

  @Test
  void completingWithoutAnOffsetOnAStaleProcessStillChecksTheWholeUpload() throws Exception {
    UploadId uuid = x.start();
    result(y.write(uuid, -1, FIRST));

    JsonObject committed = result(x.write(uuid, -1, SECOND, FIRST, SECOND));

    assertCommitted(committed, FIRST, SECOND);
  }

  @Test
  void chunksAlternatingBetweenProcessesAddUpToOneBlob() throws Exception {
    UploadId uuid = x.start();
    result(x.write(uuid, 0, FIRST));
    result(y.write(uuid, FIRST.length(), SECOND));

    JsonObject committed = result(x.write(uuid, FIRST.length() + SECOND.length(), THIRD, FIRST, SECOND, THIRD));

    assertCommitted(committed, FIRST, SECOND, THIRD);
  }

  @Test
  void aSessionCancelledByAnotherProcessIsUnknownToTheOneHoldingIt() {
    UploadId uuid = x.start();
    result(x.write(uuid, 0, FIRST));

    result(OnContext.run(vertx, () -> y.sessions.cancel(y.driver, NAME, uuid)));

    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, OnContext.run(vertx, () -> x.sessions.status(x.driver, NAME, uuid)));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, x.write(uuid, FIRST.length(), SECOND, FIRST, SECOND));
  }

  /**
   * Two processes that both opened a write before either sent a byte (the session's creator gone, each request taken
   * by another instance) wrote at the same offset; each held the digest of its own bytes, the file kept the last, and
   * a digest that matched the held one committed the other bytes under it. The second writer is refused instead.
   */
  @Test
  void twoProcessesNeverWriteOneSessionAtOnce() throws Exception {
    UploadId uuid = new Process().start();
    Buffer other = TestBytes.random(FIRST.length(), 14);
    String first = result(OnContext.run(vertx, () -> x.sessions.openWrite(vertx, x.driver, x.store,
        new UploadRequest(REPO, uuid, 0, null), blob -> { })));
    Future<String> second = OnContext.run(vertx, () -> y.sessions.openWrite(vertx, y.driver, y.store,
        new UploadRequest(REPO, uuid, 0, null), blob -> { }));
    try {
      String address = result(second);
      result(ChunkStreams.send(vertx, first, List.of(FIRST)));
      result(ChunkStreams.send(vertx, address, List.of(other)));
    } catch (AssertionError | RuntimeException refused) {
      result(ChunkStreams.send(vertx, first, List.of(FIRST)));
    }

    try {
      result(x.write(uuid, FIRST.length(), Buffer.buffer(), FIRST));
    } catch (AssertionError | RuntimeException refused) {
      // Refusing the commit is also safe; a blob under a digest its bytes do not have is not.
    }
    Path blob = root.resolve(StorageLayout.blobData(TestBytes.sha256(FIRST)));
    if (Files.exists(blob)) {
      assertArrayEquals(FIRST.getBytes(), Files.readAllBytes(blob), "the blob holds other bytes than its digest's");
    }
    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, second);
  }
}
