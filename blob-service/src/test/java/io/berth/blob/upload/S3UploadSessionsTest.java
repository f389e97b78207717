package io.berth.blob.upload;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.ChunkSender;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.metrics.Metrics;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.storage.s3.S3StorageDriver;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.Polling;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chunked uploads on S3 (S3Proxy) across blob-service processes and restarts: each chunk's bytes go to a multipart
 * upload, the running SHA-256 is saved with the session, and a process that never saw the upload finishes it without
 * reading a byte back (S3 could not give them: an unfinished multipart upload has no object).
 */
class S3UploadSessionsTest {
  private static final String REPO = "team/app";
  private static final RepositoryName NAME = RepositoryName.parse(REPO);
  private static final long MIB = 1024 * 1024;
  private static final String ROOT = "berth";
  /** More than one 5 MiB part and a short remainder: the next chunk must take the remainder up again. */
  private static final Buffer FIRST = TestBytes.random((int) (6 * MIB + 3), 21);
  private static final Buffer SECOND = TestBytes.random((int) (2 * MIB), 22);
  private static final Buffer THIRD = TestBytes.random(70_001, 23);

  @S3Server
  private static S3TestServer server;
  private Vertx vertx;
  private String bucket;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    bucket = server.newBucket();
  }

  @AfterEach
  void closeVertx() {
    processes.forEach(process -> process.driver.close());
    result(vertx.close());
  }

  /** One blob-service process: its own session table and driver over the shared bucket. */
  private final class Process {
    private final UploadSessions sessions = new UploadSessions(Metrics.disabled(), true);
    private final StorageDriver driver = S3StorageDriver.open(vertx, server.config(bucket, "/" + ROOT));
    private final BlobStore store = new BlobStore(driver);

    Process() {
      processes.add(this);
    }

    UploadId start() {
      return result(OnContext.run(vertx, () -> sessions.start(driver, NAME))).uuid();
    }

    UploadState status(UploadId uuid) {
      return result(OnContext.run(vertx, () -> sessions.status(driver, NAME, uuid)));
    }

    Future<JsonObject> write(UploadId uuid, long offset, Buffer part, Digest digest) {
      return OnContext.run(vertx, () -> sessions.openWrite(vertx, driver, store,
              new UploadRequest(REPO, uuid, offset, digest == null ? null : digest.toString()), blob -> { }))
          .compose(address -> ChunkStreams.send(vertx, address, chunks(part)));
    }
  }

  /** The bus's 256 KiB chunks, as the gateway sends a request body. */
  private static List<Buffer> chunks(Buffer part) {
    List<Buffer> chunks = new ArrayList<>();
    for (int offset = 0; offset < part.length(); offset += 256 * 1024) {
      chunks.add(part.slice(offset, Math.min(part.length(), offset + 256 * 1024)));
    }
    return chunks;
  }

  private static Buffer concat(Buffer... parts) {
    Buffer all = Buffer.buffer();
    for (Buffer part : parts) {
      all.appendBuffer(part);
    }
    return all;
  }

  private byte[] object(String path) throws Exception {
    return server.object(bucket, ROOT + "/" + path);
  }

  private List<String> keysUnder(String path) {
    List<String> keys = new ArrayList<>();
    server.store().list(bucket, ListContainerOptions.Builder.prefix(ROOT + "/" + path).recursive()).forEach(metadata -> keys.add(metadata.getName()));
    return keys;
  }

  @Test
  void chunksWrittenByProcessesThatComeAndGoAddUpToOneVerifiedBlob() throws Exception {
    Process x = new Process();
    UploadId uuid = x.start();
    result(new Process().write(uuid, 0, FIRST, null));
    assertNotNull(object(StorageLayout.uploadHashState(NAME, uuid, FIRST.length())));

    assertEquals(new UploadState(uuid, FIRST.length()), x.status(uuid));
    result(x.write(uuid, FIRST.length(), SECOND, null));
    Buffer whole = concat(FIRST, SECOND, THIRD);
    Digest digest = TestBytes.sha256(whole);
    Process restarted = new Process();
    JsonObject committed = result(restarted.write(uuid, FIRST.length() + SECOND.length(), THIRD, digest));

    assertEquals(new BlobInfo(digest.toString(), whole.length(), null), BlobInfo.fromJson(committed));
    assertArrayEquals(whole.getBytes(), object(StorageLayout.blobData(digest)));
    assertEquals(List.of(), keysUnder(StorageLayout.upload(NAME, uuid)));
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
  }

  @Test
  void aMonolithicUploadSmallerThanAPartIsPutWhole() throws Exception {
    Process x = new Process();
    UploadId uuid = x.start();
    Digest digest = TestBytes.sha256(THIRD);

    result(x.write(uuid, 0, THIRD, digest));

    assertArrayEquals(THIRD.getBytes(), object(StorageLayout.blobData(digest)));
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
  }

  @Test
  void aWrongDigestLeavesNoBlobNoUploadAndNoMultipartUpload() throws Exception {
    Process x = new Process();
    UploadId uuid = x.start();
    result(x.write(uuid, 0, FIRST, null));

    failsWith(ErrorCode.DIGEST_INVALID, new Process().write(uuid, FIRST.length(), SECOND, TestBytes.sha256(SECOND)));

    assertNull(object(StorageLayout.blobData(TestBytes.sha256(SECOND))));
    assertNull(object(StorageLayout.blobData(TestBytes.sha256(concat(FIRST, SECOND)))));
    assertEquals(List.of(), keysUnder(StorageLayout.upload(NAME, uuid)));
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
  }

  @Test
  void aCancelledUploadLeavesNoMultipartUpload() {
    Process x = new Process();
    UploadId uuid = x.start();
    result(x.write(uuid, 0, FIRST, null));

    result(OnContext.run(vertx, () -> new Process().sessions.cancel(x.driver, NAME, uuid)));

    assertEquals(List.of(), keysUnder(StorageLayout.upload(NAME, uuid)));
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, OnContext.run(vertx, () -> x.sessions.status(x.driver, NAME, uuid)));
  }

  /** Without its saved state, a session cannot be resumed on S3: the client is told to start again. */
  @Test
  void aSessionWhoseHashStateIsLostIsRefusedRatherThanMisverified() {
    Process x = new Process();
    UploadId uuid = x.start();
    result(x.write(uuid, 0, FIRST, null));
    server.store().removeBlob(bucket, ROOT + "/" + StorageLayout.uploadHashState(NAME, uuid, FIRST.length()));

    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, new Process().write(uuid, FIRST.length(), SECOND,
        TestBytes.sha256(concat(FIRST, SECOND))));
  }

  /**
   * A client cancelling its own upload while a request still streams into it (DELETE during PATCH or PUT): the
   * session is gone, which the streaming request is told as BLOB_UPLOAD_UNKNOWN, not as an internal error, and it
   * leaves nothing behind (no hash state saved after the delete, no multipart upload).
   */
  @Test
  void anUploadCancelledWhileARequestStreamsIntoItIsUnknownToThatRequest() throws Exception {
    Process x = new Process();
    UploadId uuid = x.start();
    String address = result(OnContext.run(vertx, () -> x.sessions.openWrite(vertx, x.driver, x.store,
        new UploadRequest(REPO, uuid, 0, TestBytes.sha256(FIRST).toString()), blob -> { })));
    ChunkSender sender = new ChunkSender(vertx, address);
    OnContext.run(vertx, () -> {
      chunks(FIRST).forEach(sender::write);
      return Future.succeededFuture();
    });
    assertEquals(1, Polling.until(this::partsInS3, parts -> parts == 1, Duration.ofMillis(20), Duration.ofSeconds(20)));

    result(OnContext.run(vertx, () -> x.sessions.cancel(x.driver, NAME, uuid)));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, OnContext.run(vertx, () -> sender.end().compose(v -> sender.result())));

    assertNull(object(StorageLayout.blobData(TestBytes.sha256(FIRST))));
    assertEquals(List.of(), keysUnder(StorageLayout.upload(NAME, uuid)));
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
  }

  /** The same without a digest (a PATCH): the request ends after the cancel, and saves no hash state of a session. */
  @Test
  void aPatchThatEndsAfterItsUploadWasCancelledLeavesNoHashStateBehind() throws Exception {
    Process x = new Process();
    UploadId uuid = x.start();
    String address = result(OnContext.run(vertx, () -> x.sessions.openWrite(vertx, x.driver, x.store,
        new UploadRequest(REPO, uuid, 0, null), blob -> { })));
    ChunkSender sender = new ChunkSender(vertx, address);
    OnContext.run(vertx, () -> {
      chunks(FIRST).forEach(sender::write);
      return Future.succeededFuture();
    });
    assertEquals(1, Polling.until(this::partsInS3, parts -> parts == 1, Duration.ofMillis(20), Duration.ofSeconds(20)));

    result(OnContext.run(vertx, () -> x.sessions.cancel(x.driver, NAME, uuid)));
    Future<JsonObject> ended = OnContext.run(vertx, () -> sender.end().compose(v -> sender.result()));
    try {
      result(ended);
    } catch (AssertionError | RuntimeException unknown) {
      // S3 answers NoSuchUpload to the last part; S3Proxy takes it. Either way the session is gone.
    }

    assertEquals(List.of(), keysUnder(StorageLayout.upload(NAME, uuid)));
    failsWith(ErrorCode.BLOB_UPLOAD_UNKNOWN, OnContext.run(vertx, () -> x.sessions.status(x.driver, NAME, uuid)));
  }

  /**
   * A hash state that is not one (damaged, or a state of another offset put at this one) is not trusted: the session
   * cannot be resumed on S3 (its bytes cannot be read back), which the client is told as for a lost state, never an
   * internal error; and the session is kept.
   */
  @Test
  void aDamagedHashStateIsRefusedAsALostOne() throws Exception {
    Process x = new Process();
    UploadId uuid = x.start();
    result(x.write(uuid, 0, FIRST, null));
    byte[] atFirst = object(StorageLayout.uploadHashState(NAME, uuid, FIRST.length()));
    result(x.write(uuid, FIRST.length(), SECOND, null));
    String key = ROOT + "/" + StorageLayout.uploadHashState(NAME, uuid, FIRST.length() + SECOND.length());
    Digest whole = TestBytes.sha256(concat(FIRST, SECOND, THIRD));

    server.putObject(bucket, key, atFirst);
    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, new Process().write(uuid, FIRST.length() + SECOND.length(), THIRD, whole));
    server.putObject(bucket, key, "not a state".getBytes());
    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, new Process().write(uuid, FIRST.length() + SECOND.length(), THIRD, whole));

    assertEquals(new UploadState(uuid, FIRST.length() + SECOND.length()), new Process().status(uuid));
  }

  /**
   * Two processes writing one session at once (its owner is gone, so the gateway sends each request to whichever
   * instance takes it) both write part 1 of the same multipart upload and both save a hash state at the same offset:
   * the part one of them sent last and the state the other saved last. A client pausing one request (chunked body)
   * while the other runs whole gets a blob whose bytes are not those of its digest: content addressing broken, and a
   * blob under a digest another tenant pushes later (it is kept, the upload dropped) serves the attacker's bytes.
   */
  @Test
  void twoProcessesNeverWriteOneSessionAtOnce() throws Exception {
    UploadId uuid = new Process().start();
    Buffer mine = TestBytes.random((int) (5 * MIB), 31);
    Buffer other = TestBytes.random((int) (5 * MIB), 32);
    Process first = new Process();
    Process second = new Process();

    ChunkSender paused = new ChunkSender(vertx, open(first, uuid));
    Future<String> concurrent = OnContext.run(vertx, () -> second.sessions.openWrite(vertx, second.driver,
        second.store, new UploadRequest(REPO, uuid, 0, null), blob -> { }));
    try {
      String address = result(concurrent);
      OnContext.run(vertx, () -> {
        chunks(mine).forEach(paused::write);
        return Future.succeededFuture();
      });
      assertEquals(1, Polling.until(this::partsInS3, parts -> parts == 1, Duration.ofMillis(20), Duration.ofSeconds(20)));
      result(ChunkStreams.send(vertx, address, chunks(other)));
    } catch (AssertionError | RuntimeException refused) {
      // Refused, as it must be: the first request goes on alone.
      OnContext.run(vertx, () -> {
        chunks(mine).forEach(paused::write);
        return Future.succeededFuture();
      });
    }
    result(OnContext.run(vertx, () -> paused.end().compose(v -> paused.result())));

    Digest claimed = TestBytes.sha256(mine);
    Future<JsonObject> committed = new Process().write(uuid, mine.length(), Buffer.buffer(), claimed);
    try {
      result(committed);
    } catch (AssertionError | RuntimeException refused) {
      // Refusing the commit is also safe; what must never happen is a blob under a digest its bytes do not have.
    }
    byte[] stored = object(StorageLayout.blobData(claimed));
    if (stored != null) {
      assertEquals(claimed, TestBytes.sha256(Buffer.buffer(stored)),
          "the blob stored under " + claimed + " holds other bytes");
    }
    assertTrue(concurrent.failed(), "a second process wrote the session while the first was writing it");
    assertEquals(ErrorCode.BLOB_UPLOAD_INVALID, ((RegistryException) concurrent.cause()).errorCode());
    assertArrayEquals(mine.getBytes(), stored);
  }

  private String open(Process process, UploadId uuid) {
    return result(OnContext.run(vertx, () -> process.sessions.openWrite(vertx, process.driver, process.store,
        new UploadRequest(REPO, uuid, 0, null), blob -> { })));
  }

  private int partsInS3() {
    int parts = 0;
    for (var upload : server.store().listMultipartUploads(bucket)) {
      parts += server.store().listMultipartUpload(upload).size();
    }
    return parts;
  }
}
