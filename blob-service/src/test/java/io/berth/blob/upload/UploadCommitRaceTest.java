package io.berth.blob.upload;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.berth.blob.store.BlobStore;
import io.berth.common.bus.message.UploadRequest;
import io.berth.common.error.ErrorCode;
import io.berth.common.metrics.Metrics;
import io.berth.common.oci.ContentDigest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.storage.s3.S3StorageDriver;
import io.berth.common.testing.ChunkStreams;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upload whose digest was verified is moved among the blobs while the request that completes it still holds the
 * session: a chunk sent to the session in between (a second request of the same client, or of anyone who knows the
 * upload's URL) was appended to the verified file, so the blob kept bytes its digest does not name, and every later
 * push of that digest, by any repository, kept the damaged copy.
 */
class UploadCommitRaceTest {
  private static final String REPO = "team/app";
  private static final RepositoryName NAME = RepositoryName.parse(REPO);
  private static final Buffer CONTENT = TestBytes.random(200_000, 21);
  private static final Buffer EXTRA = TestBytes.random(50_000, 22);

  @S3Server
  private static S3TestServer server;
  @TempDir
  Path root;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  @ParameterizedTest
  @ValueSource(strings = {Digest.SHA256, Digest.SHA512})
  void onAFileSystemAChunkSentWhileAVerifiedUploadIsCommittedNeverReachesTheBlob(String algorithm) {
    race(new FileSystemStorageDriver(vertx, root), new UploadSessions(), algorithm);
  }

  @ParameterizedTest
  @ValueSource(strings = {Digest.SHA256, Digest.SHA512})
  void onS3AChunkSentWhileAVerifiedUploadIsCommittedNeverReachesTheBlob(String algorithm) {
    StorageDriver s3 = S3StorageDriver.open(vertx, server.config(server.newBucket(), "/berth"));
    try {
      race(s3, new UploadSessions(Metrics.disabled(), true), algorithm);
    } finally {
      s3.close();
    }
  }

  private void race(StorageDriver storage, UploadSessions sessions, String algorithm) {
    Digest digest = ContentDigest.of(algorithm, CONTENT);
    HeldBlobMove driver = new HeldBlobMove(storage, StorageLayout.blobData(digest));
    BlobStore store = new BlobStore(driver);
    UploadId uuid = result(OnContext.run(vertx, () -> sessions.start(driver, NAME))).uuid();

    Future<JsonObject> completed = OnContext.run(vertx, () -> sessions.openWrite(vertx, driver, store,
            new UploadRequest(REPO, uuid, 0, digest.toString()), blob -> { }))
        .compose(address -> ChunkStreams.send(vertx, address, List.of(CONTENT)));
    result(driver.reached());
    Future<JsonObject> appended = OnContext.run(vertx, () -> sessions.openWrite(vertx, driver, store,
            new UploadRequest(REPO, uuid, CONTENT.length(), null), blob -> { }))
        .compose(address -> ChunkStreams.send(vertx, address, List.of(EXTRA)));
    appended.onComplete(done -> driver.release());

    result(completed);
    assertArrayEquals(CONTENT.getBytes(), result(storage.read(StorageLayout.blobData(digest))).getBytes(),
        "the blob holds other bytes than its digest's");
    failsWith(ErrorCode.BLOB_UPLOAD_INVALID, appended);
  }
}
