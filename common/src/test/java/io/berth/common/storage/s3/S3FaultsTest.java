package io.berth.common.storage.s3;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.S3Config;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageUnavailableException;
import io.berth.common.testing.FaultyTcpProxy;
import io.berth.common.testing.FaultyTcpProxy.Fault;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the driver does when S3 fails for real (S3Proxy behind a proxy that refuses, resets, stalls or sheds load):
 * every call fails with {@link StorageUnavailableException} within the call timeout, a download cut mid-body fails
 * rather than ends, and the driver works again once S3 does.
 */
class S3FaultsTest {
  private static final Duration CALL_TIMEOUT = Duration.ofMillis(1_500);
  @S3Server
  private static S3TestServer server;
  private FaultyTcpProxy proxy;
  private Vertx vertx;
  private StorageDriver driver;
  private String bucket;

  @BeforeAll
  static void startServer() {
    // The first calls of a JVM are slow (class loading, S3Proxy's first request): not within the short timeout here.
    Vertx warmUp = Vertx.vertx();
    StorageDriver direct = S3StorageDriver.open(warmUp, server.config(server.newBucket(), ""));
    try {
      result(direct.write("warm", Buffer.buffer("up")).compose(v -> direct.read("warm")));
    } finally {
      direct.close();
      warmUp.close();
    }
  }

  @BeforeEach
  void open() {
    proxy = FaultyTcpProxy.to(server.endpoint());
    vertx = Vertx.vertx();
    bucket = server.newBucket();
    S3Config direct = server.config(bucket, "root");
    driver = S3StorageDriver.open(vertx, new S3Config(direct.accessKey(), direct.secretKey(), direct.region(),
        proxy.endpoint(), true, direct.bucket(), direct.rootDirectory(), false, null, false, false, direct.chunkSize(),
        direct.multipartCopyChunkSize(), direct.multipartCopyMaxConcurrency(), direct.multipartCopyThresholdSize(),
        direct.storageClass(), direct.objectAcl(), null, CALL_TIMEOUT));
  }

  @AfterEach
  void close() throws Exception {
    driver.close();
    vertx.close();
    proxy.close();
  }

  private static List<Function<StorageDriver, Future<?>>> calls() {
    return List.of(
        d -> d.read("docker/registry/v2/repositories/app/_manifests/tags/v1/current/link"),
        d -> d.write("docker/registry/v2/repositories/app/_layers/sha256/ab/link", Buffer.buffer("sha256:ab")),
        d -> d.stat("docker/registry/v2/blobs/sha256/ab/abcd/data"),
        d -> d.list("docker/registry/v2/repositories/app/_manifests/tags"),
        d -> d.delete("docker/registry/v2/repositories/app/_uploads/u1"),
        d -> d.move("docker/registry/v2/repositories/app/_uploads/u1/data", "docker/registry/v2/blobs/sha256/ab/x/data"),
        d -> d.reader("docker/registry/v2/blobs/sha256/ab/abcd/data", 0, 10),
        d -> d.writer("docker/registry/v2/repositories/app/_uploads/u2/data", false)
            .compose(writer -> writer.write(Buffer.buffer("bytes")).compose(v -> writer.commit())));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"REFUSE", "RESET", "SLOW_DOWN", "STALL"})
  void everyCallFailsAsStorageUnavailableWithinTheCallTimeoutAndWorksAgainAfter(Fault fault) {
    write("docker/registry/v2/blobs/sha256/ab/abcd/data", "0123456789");
    proxy.fault(fault);

    for (Function<StorageDriver, Future<?>> call : calls()) {
      long started = System.nanoTime();
      Throwable failure = failure(OnContext.run(vertx, () -> call.apply(driver).map(x -> (Object) x)));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      assertInstanceOf(StorageUnavailableException.class, failure, () -> fault + ": " + failure);
      assertTrue(tookMillis < CALL_TIMEOUT.toMillis() * 2 + 2_000, fault + " took " + tookMillis + " ms");
    }

    proxy.fault(Fault.NONE);
    assertEquals("0123456789", result(driver.read("docker/registry/v2/blobs/sha256/ab/abcd/data")).toString());
  }

  @Test
  void aDownloadCutMidBodyFailsInsteadOfEnding() {
    byte[] content = TestBytes.random(24 << 20, 7).getBytes();
    server.putObject(bucket, "root/blob", content);
    Context context = vertx.getOrCreateContext();
    Promise<Void> firstBytes = Promise.promise();
    Promise<String> outcome = Promise.promise();
    Promise<ReadStream<Buffer>> opened = Promise.promise();
    OnContext.run(context, () -> driver.reader("blob", 0, content.length).map(stream -> {
      stream.handler(chunk -> {
        if (firstBytes.tryComplete()) {
          stream.pause();
        }
      });
      stream.endHandler(v -> outcome.tryComplete("ended"));
      stream.exceptionHandler(e -> outcome.tryComplete(e.getClass().getSimpleName()));
      return stream;
    })).onComplete(opened);
    ReadStream<Buffer> stream = result(opened.future());
    result(firstBytes.future());

    proxy.fault(Fault.RESET);
    context.runOnContext(v -> stream.resume());

    assertEquals(StorageUnavailableException.class.getSimpleName(), result(outcome.future()));
  }

  @Test
  void aDownloadSlowerThanTheCallTimeoutIsNotCut() throws Exception {
    byte[] content = TestBytes.random(8 << 20, 3).getBytes();
    server.putObject(bucket, "root/blob", content);
    Buffer received = Buffer.buffer();
    Promise<Void> done = Promise.promise();
    Context context = vertx.getOrCreateContext();
    result(OnContext.run(context, () -> driver.reader("blob", 0, content.length).map(stream -> {
      stream.handler(chunk -> {
        boolean first = received.length() == 0;
        received.appendBuffer(chunk);
        if (first) {
          // The reader holds the stream past the call timeout, as a slow client does through back-pressure.
          stream.pause();
          vertx.setTimer(CALL_TIMEOUT.toMillis() + 1_000, t -> stream.resume());
        }
      });
      stream.endHandler(v -> done.tryComplete());
      stream.exceptionHandler(done::tryFail);
      return stream;
    })));

    result(done.future());
    assertArrayEquals(content, received.getBytes());
  }

  private void write(String path, String content) {
    result(driver.write(path, Buffer.buffer(content)));
  }
}
