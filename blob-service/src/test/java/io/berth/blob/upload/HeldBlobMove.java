package io.berth.blob.upload;

import io.berth.common.storage.FileWriter;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A driver that holds the first operation on one path (a blob's data, which a commit touches before it moves the
 * upload there) until the test lets it go: the moment between an upload's verification and its move among the blobs,
 * made as long as a test needs to act in it.
 */
final class HeldBlobMove implements StorageDriver {
  private final StorageDriver driver;
  private final String held;
  private final Promise<Void> reached = Promise.promise();
  private final Promise<Void> released = Promise.promise();

  HeldBlobMove(StorageDriver driver, String held) {
    this.driver = driver;
    this.held = held;
  }

  /** Completes once an operation on the held path arrived (and waits). */
  Future<Void> reached() {
    return reached.future();
  }

  void release() {
    released.tryComplete();
  }

  private <T> Future<T> maybeHeld(String path, Supplier<Future<T>> operation) {
    if (!path.equals(held) || reached.future().isComplete()) {
      return operation.get();
    }
    reached.complete();
    return released.future().compose(v -> operation.get());
  }

  @Override
  public Future<Buffer> read(String path) {
    return maybeHeld(path, () -> driver.read(path));
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return maybeHeld(path, () -> driver.write(path, content));
  }

  @Override
  public Future<FileStat> stat(String path) {
    return maybeHeld(path, () -> driver.stat(path));
  }

  @Override
  public Future<Void> touch(String path) {
    return maybeHeld(path, () -> driver.touch(path));
  }

  @Override
  public Future<List<String>> list(String path) {
    return driver.list(path);
  }

  @Override
  public Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page) {
    return driver.walk(path, page);
  }

  @Override
  public Future<Boolean> claim(String path, Function<Long, Future<Boolean>> stillGarbage) {
    return driver.claim(path, stillGarbage);
  }

  @Override
  public Future<Void> move(String from, String to) {
    return maybeHeld(to, () -> driver.move(from, to));
  }

  @Override
  public Future<Void> delete(String path) {
    return driver.delete(path);
  }

  @Override
  public Future<List<UnfinishedWrite>> unfinishedWrites(String path) {
    return driver.unfinishedWrites(path);
  }

  @Override
  public Future<FileWriter> writer(String path, boolean append) {
    return driver.writer(path, append);
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    return driver.reader(path, offset, length);
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
