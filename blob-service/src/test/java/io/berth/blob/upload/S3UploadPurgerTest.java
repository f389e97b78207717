package io.berth.blob.upload;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.message.BlobInfo;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.bus.message.UploadState;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upload purging on S3 (S3Proxy): a session's data is a multipart upload there, invisible to a listing, which the
 * purge must abort with the session; and a multipart upload whose session is gone is found by listing the multipart
 * uploads and aborted once it is older than the cutoff. S3Proxy reports every multipart upload as started at the
 * moment it is listed, so the cutoff, not the upload, is moved to make one old.
 */
class S3UploadPurgerTest {
  private static final String REPO = "team/app";
  private static final RepositoryName NAME = RepositoryName.parse(REPO);
  private static final long MIB = 1024 * 1024;
  private static final String ROOT = "berth";
  /** One whole 5 MiB part and a short one: the multipart upload holds parts. */
  private static final Buffer FIRST = TestBytes.random((int) (6 * MIB + 3), 31);
  private static final Buffer SECOND = TestBytes.random(70_001, 32);

  @S3Server
  private static S3TestServer server;
  private Vertx vertx;
  private String bucket;
  private StorageDriver driver;
  private UploadSessions sessions;
  private BlobStore store;
  private UploadPurger purger;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    bucket = server.newBucket();
    driver = S3StorageDriver.open(vertx, server.config(bucket, "/" + ROOT));
    sessions = new UploadSessions(Metrics.disabled(), true);
    store = new BlobStore(driver);
    purger = new UploadPurger(vertx, driver, sessions);
  }

  @AfterEach
  void stop() {
    driver.close();
    result(vertx.close());
  }

  private UploadId startUpload() {
    return result(OnContext.run(vertx, () -> sessions.start(driver, NAME))).uuid();
  }

  private Future<JsonObject> write(UploadId uuid, long offset, Buffer part, Digest digest) {
    return OnContext.run(vertx, () -> sessions.openWrite(vertx, driver, store,
            new UploadRequest(REPO, uuid, offset, digest == null ? null : digest.toString()), blob -> { }))
        .compose(address -> ChunkStreams.send(vertx, address, chunks(part)));
  }

  private static List<Buffer> chunks(Buffer part) {
    List<Buffer> chunks = new ArrayList<>();
    for (int offset = 0; offset < part.length(); offset += 256 * 1024) {
      chunks.add(part.slice(offset, Math.min(part.length(), offset + 256 * 1024)));
    }
    return chunks;
  }

  private PurgeReport purge(Instant cutoff, boolean dryRun) {
    return result(OnContext.run(vertx, () -> purger.purge(cutoff, dryRun)));
  }

  private List<String> multipartKeys() {
    return server.store().listMultipartUploads(bucket).stream().map(MultipartUpload::blobName).sorted().toList();
  }

  private List<String> keysUnder(String path) {
    List<String> keys = new ArrayList<>();
    server.store().list(bucket, ListContainerOptions.Builder.prefix(ROOT + "/" + path).recursive())
        .forEach(metadata -> keys.add(metadata.getName()));
    return keys;
  }

  private static String key(String path) {
    return ROOT + "/" + path;
  }

  /**
   * S3 stamps objects to the second: the cutoff is the next whole second, past every write so far, and what follows
   * is written once the clock has reached it.
   */
  private static Instant cutoffAfterNow() throws Exception {
    Instant cutoff = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    Polling.until(Instant::now, now -> !now.isBefore(cutoff), Duration.ofMillis(50), Duration.ofSeconds(5));
    return cutoff;
  }

  @Test
  void anAgedSessionIsPurgedWithItsMultipartUploadAndAFreshOneStaysResumable() throws Exception {
    UploadId aged = startUpload();
    result(write(aged, 0, FIRST, null));
    Instant cutoff = cutoffAfterNow();
    UploadId fresh = startUpload();
    result(write(fresh, 0, FIRST, null));
    assertEquals(List.of(key(StorageLayout.uploadData(NAME, aged)), key(StorageLayout.uploadData(NAME, fresh)))
        .stream().sorted().toList(), multipartKeys());

    PurgeReport report = purge(cutoff, false);

    assertEquals(List.of(aged), report.purged().stream().map(PurgeReport.PurgedUpload::uuid).toList());
    assertEquals(0, report.failures());
    assertEquals(List.of(key(StorageLayout.uploadData(NAME, fresh))), multipartKeys());
    assertEquals(List.of(), keysUnder(StorageLayout.upload(NAME, aged)));
    Buffer whole = Buffer.buffer().appendBuffer(FIRST).appendBuffer(SECOND);
    Digest digest = TestBytes.sha256(whole);
    assertEquals(new UploadState(fresh, FIRST.length()),
        result(OnContext.run(vertx, () -> sessions.status(driver, NAME, fresh))));
    JsonObject committed = result(write(fresh, FIRST.length(), SECOND, digest));
    assertEquals(new BlobInfo(digest.toString(), whole.length(), null), BlobInfo.fromJson(committed));
    assertArrayEquals(whole.getBytes(), server.object(bucket, key(StorageLayout.blobData(digest))));
    assertEquals(List.of(), multipartKeys());
  }

  /**
   * A session whose own files are gone (a crash between its writes, a hand-made cleanup) leaves a multipart upload
   * no listing shows: it is aborted once older than the cutoff, and not before, nor on a dry run.
   */
  /**
   * Another process writing a session holds its cluster-wide writer lock; the purge here knows nothing of the request
   * and the session's files are old, so only that lock tells it the session is being written.
   */
  @Test
  void aSessionAnotherProcessIsWritingIsKeptUntilItsWriterLetsGo() throws Exception {
    UploadSessions other = new UploadSessions(Metrics.disabled(), true);
    UploadId uuid = result(OnContext.run(vertx, () -> other.start(driver, NAME))).uuid();
    Instant cutoff = cutoffAfterNow();
    String address = result(OnContext.run(vertx, () -> other.openWrite(vertx, driver, store,
        new UploadRequest(REPO, uuid, 0, null), blob -> { })));

    PurgeReport whileWritten = purge(cutoff, false);

    assertEquals(List.of(uuid), whileWritten.keptWhileWritten().stream().map(PurgeReport.PurgedUpload::uuid)
        .toList());
    assertEquals(List.of(), whileWritten.purged());
    result(ChunkStreams.send(vertx, address, chunks(SECOND)));
    assertEquals(new UploadState(uuid, SECOND.length()),
        result(OnContext.run(vertx, () -> other.status(driver, NAME, uuid))));
    PurgeReport afterwards = purge(Instant.now().plus(Duration.ofHours(1)), false);
    assertEquals(List.of(uuid), afterwards.purged().stream().map(PurgeReport.PurgedUpload::uuid).toList());
  }

  @Test
  void aMultipartUploadWithoutASessionIsAbortedOnceOld() {
    UploadId orphan = startUpload();
    result(write(orphan, 0, FIRST, null));
    server.store().list(bucket, ListContainerOptions.Builder.prefix(key(StorageLayout.upload(NAME, orphan)))
        .recursive()).forEach(metadata -> server.store().removeBlob(bucket, metadata.getName()));
    UploadId fresh = startUpload();
    assertEquals(2, multipartKeys().size());

    PurgeReport young = purge(Instant.now().minus(Duration.ofHours(1)), false);
    PurgeReport dryRun = purge(Instant.now().plus(Duration.ofHours(1)).minusSeconds(1), true);
    assertEquals(2, multipartKeys().size());
    PurgeReport old = purge(Instant.now().plus(Duration.ofHours(1)), false);

    assertEquals(List.of(), young.abandonedWrites());
    assertEquals(List.of(orphan), dryRun.abandonedWrites().stream().map(PurgeReport.PurgedUpload::uuid).toList());
    assertEquals(List.of(orphan), old.abandonedWrites().stream().map(PurgeReport.PurgedUpload::uuid).toList());
    assertNotNull(old.abandonedWrites().get(0).startedAt());
    assertTrue(multipartKeys().stream().noneMatch(k -> k.contains(orphan.value())), multipartKeys().toString());
    assertEquals(List.of(fresh), old.purged().stream().map(PurgeReport.PurgedUpload::uuid).toList());
    assertEquals(List.of(), multipartKeys());
  }

  /**
   * On S3 a session's data is no object until its upload completes, so its last change is told by the hash state each
   * request saves: a session another process wrote after the cutoff is kept, and that process finishes it.
   */
  @Test
  void anOldSessionAnotherProcessWroteAfterTheCutoffIsKept() throws Exception {
    UploadSessions other = new UploadSessions(Metrics.disabled(), true);
    UploadId uuid = result(OnContext.run(vertx, () -> other.start(driver, NAME))).uuid();
    Instant cutoff = cutoffAfterNow();
    result(OnContext.run(vertx, () -> other.openWrite(vertx, driver, store, new UploadRequest(REPO, uuid, 0, null),
        blob -> { })).compose(address -> ChunkStreams.send(vertx, address, chunks(FIRST))));

    PurgeReport report = purge(cutoff, false);

    assertEquals(List.of(), report.purged());
    assertEquals(List.of(uuid), report.keptWhileWritten().stream().map(PurgeReport.PurgedUpload::uuid).toList());
    assertEquals(List.of(key(StorageLayout.uploadData(NAME, uuid))), multipartKeys());
    Buffer whole = Buffer.buffer().appendBuffer(FIRST).appendBuffer(SECOND);
    Digest digest = TestBytes.sha256(whole);
    result(OnContext.run(vertx, () -> other.openWrite(vertx, driver, store, new UploadRequest(REPO, uuid,
        FIRST.length(), digest.toString()), blob -> { })).compose(address -> ChunkStreams.send(vertx, address,
        chunks(SECOND))));
    assertArrayEquals(whole.getBytes(), server.object(bucket, key(StorageLayout.blobData(digest))));
  }
}
