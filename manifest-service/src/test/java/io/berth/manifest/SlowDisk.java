package io.berth.manifest;

import io.berth.common.storage.FileWriter;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A driver in front of a slow disk: every operation first waits, in arrival order, for one of a few spindles, holds
 * it for a fixed time, then runs on the real driver. So a request that queues thousands of operations at once makes
 * everyone else's wait behind them, as on storage whose latency, not the CPU, is the limit (a network file system).
 * Counts the operations in flight (arrived, not yet answered) and the most there ever were.
 */
final class SlowDisk implements StorageDriver {
  private final StorageDriver driver;
  private final WorkerExecutor spindles;
  private final long millis;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger most = new AtomicInteger();

  SlowDisk(Vertx vertx, StorageDriver driver, int spindles, long millis) {
    this.driver = driver;
    this.spindles = vertx.createSharedWorkerExecutor("slow-disk-" + System.identityHashCode(this), spindles);
    this.millis = millis;
  }

  int mostInFlight() {
    return most.get();
  }

  void resetMost() {
    most.set(inFlight.get());
  }

  private <T> Future<T> slow(Supplier<Future<T>> operation) {
    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    return spindles.executeBlocking(() -> {
      Thread.sleep(millis);
      return null;
    }, false).compose(v -> operation.get()).onComplete(done -> inFlight.decrementAndGet());
  }

  @Override
  public Future<Buffer> read(String path) {
    return slow(() -> driver.read(path));
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return slow(() -> driver.write(path, content));
  }

  @Override
  public Future<FileStat> stat(String path) {
    return slow(() -> driver.stat(path));
  }

  @Override
  public Future<Void> touch(String path) {
    return slow(() -> driver.touch(path));
  }

  @Override
  public Future<List<String>> list(String path) {
    return slow(() -> driver.list(path));
  }

  @Override
  public Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page) {
    return slow(() -> driver.walk(path, page));
  }

  @Override
  public Future<Void> move(String from, String to) {
    return slow(() -> driver.move(from, to));
  }

  @Override
  public Future<Void> delete(String path) {
    return slow(() -> driver.delete(path));
  }

  @Override
  public Future<List<UnfinishedWrite>> unfinishedWrites(String path) {
    return slow(() -> driver.unfinishedWrites(path));
  }

  @Override
  public Future<FileWriter> writer(String path, boolean append) {
    return slow(() -> driver.writer(path, append));
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    return slow(() -> driver.reader(path, offset, length));
  }

  @Override
  public Optional<Path> localPath(String path) {
    return driver.localPath(path);
  }

  @Override
  public Optional<String> redirectUrl(String path) {
    return driver.redirectUrl(path);
  }

  @Override
  public void close() {
    driver.close();
  }
}
