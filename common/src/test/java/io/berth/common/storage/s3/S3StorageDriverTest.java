package io.berth.common.storage.s3;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.S3Config;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriverContract;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The driver contract, and what only S3 has, against a real S3 server (S3Proxy on 127.0.0.1). */
class S3StorageDriverTest extends StorageDriverContract {
  private static final long MIB = 1024 * 1024;
  @S3Server
  private static S3TestServer server;
  private Vertx vertx;
  private String bucket;

  /**
   * The connections the client's pool has leased: each test has a bucket of its own but the client is the process's,
   * shared by every driver of the same configuration, so nothing else may be running against it meanwhile.
   */
  @Override
  protected long openHandles() throws Exception {
    return ((S3StorageDriver) driver).leasedConnections().toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  protected StorageDriver newDriver(Vertx vertx) {
    this.vertx = vertx;
    bucket = server.newBucket();
    return S3StorageDriver.open(vertx, server.config(bucket, "/berth/root/"));
  }

  @Test
  void objectKeysAreDistributionsRootdirectoryWithoutItsSlashesThenThePath() throws Exception {
    write("docker/registry/v2/blobs/sha256/ab/abc/data", "bytes");

    assertArrayEquals("bytes".getBytes(), server.object(bucket, "berth/root/docker/registry/v2/blobs/sha256/ab/abc/data"));
  }

  @Test
  void withoutARootdirectoryTheKeyIsThePath() throws Exception {
    StorageDriver atRoot = S3StorageDriver.open(vertx, server.config(bucket, ""));
    try {
      result(atRoot.write("docker/registry/v2/x", Buffer.buffer("y")));

      assertArrayEquals("y".getBytes(), server.object(bucket, "docker/registry/v2/x"));
    } finally {
      atRoot.close();
    }
  }

  @Test
  void aPresignedRedirectUrlServesTheObjectWithoutCredentials() throws Exception {
    Buffer content = TestBytes.random(300_000, 9);
    result(driver.write("docker/registry/v2/blobs/sha256/cd/cdef/data", content));

    String url = driver.redirectUrl("docker/registry/v2/blobs/sha256/cd/cdef/data").orElseThrow();
    HttpResponse<byte[]> response = S3TestServer.get(URI.create(url));

    assertTrue(url.startsWith(server.endpoint() + "/" + bucket + "/berth/root/docker/"), url);
    assertTrue(url.contains("X-Amz-Expires=1200"), url);
    assertEquals(200, response.statusCode());
    assertArrayEquals(content.getBytes(), response.body());
  }

  @Test
  void aFileAboveTheCopyThresholdMovesAsAMultipartCopy() {
    Buffer content = TestBytes.random((int) (11 * MIB + 5), 10);
    result(driver.write("uploads/u/data", content));

    result(driver.move("uploads/u/data", "blobs/ab/abc/data"));

    assertEquals(content, result(driver.read("blobs/ab/abc/data")));
    assertInstanceOf(PathNotFoundException.class, failure(driver.stat("uploads/u/data")));
  }

  @Test
  void anAbandonedUploadLeavesNoMultipartUploadAfterItsDirectoryIsDeleted() {
    result(OnContext.run(vertx, () -> driver.writer("repo/_uploads/u/data", false)
        .compose(writer -> writer.write(Buffer.buffer("part")).compose(v -> writer.close()))));

    result(driver.delete("repo/_uploads/u"));

    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
    assertInstanceOf(PathNotFoundException.class,
        failure(driver.writer("repo/_uploads/u/data", true)));
  }

  /**
   * More readers let go after their first bytes (as a failed pipe does) than the client's pool has connections, and
   * the client still reads: no abandoned read holds a connection.
   */
  @Test
  void readersLetGoBeforeTheirEndLeaveTheClientUsable() {
    Buffer content = TestBytes.random((int) (2 * MIB), 11);
    result(driver.write("blob", content));

    for (int i = 0; i < 210; i++) {
      result(OnContext.run(vertx, () -> driver.reader("blob", 0, content.length()).compose(stream -> {
        Promise<Void> first = Promise.promise();
        stream.handler(chunk -> {
          stream.handler(null);
          first.tryComplete();
        });
        return first.future();
      })));
    }

    assertEquals(content, result(driver.read("blob")));
  }

  @Test
  void aMissingBucketStopsWithTheBucketKeyNamed() {
    S3StorageDriver missing = S3StorageDriver.open(vertx, server.config("no-such-bucket", ""));
    try {
      String message = failure(missing.checkBucket()).getMessage();

      assertTrue(message.startsWith("storage.s3.bucket: no bucket \"no-such-bucket\" at " + server.endpoint()),
          message);
    } finally {
      missing.close();
    }
  }

  @Test
  void wrongCredentialsStopWithTheAccessKeyNamed() {
    S3Config good = server.config(bucket, "");
    S3Config wrong = new S3Config(good.accessKey(), "not-the-secret", good.region(), good.regionEndpoint(), true,
        bucket, "", false, null, false, false, good.chunkSize(), good.multipartCopyChunkSize(), 4,
        good.multipartCopyThresholdSize(), "STANDARD", "private", null);
    S3StorageDriver driverWithWrongSecret = S3StorageDriver.open(vertx, wrong);
    try {
      String message = failure(driverWithWrongSecret.checkBucket()).getMessage();

      assertTrue(message.startsWith("storage.s3.accesskey: access denied"), message);
    } finally {
      driverWithWrongSecret.close();
    }
  }

  @Test
  void theBucketCheckPassesForAReachableBucket() {
    result(((S3StorageDriver) driver).checkBucket());
  }

  @Test
  void nothingIsLeftOfACommittedWriterButTheObject() throws Exception {
    result(OnContext.run(vertx, () -> driver.writer("u/data", false)
        .compose(writer -> writer.write(TestBytes.random((int) (6 * MIB), 12)).compose(v -> writer.commit()))));

    assertEquals(6 * MIB, server.object(bucket, "berth/root/u/data").length);
    assertNull(server.object(bucket, "berth/root/u"));
    assertTrue(server.store().listMultipartUploads(bucket).isEmpty());
  }
}
