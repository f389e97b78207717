package io.berth.common.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Another driver with every storage operation passed through {@link #intercept} first: the metered driver times them,
 * and tests slow, hold or fail some of them on real storage (a slow disk, a move held at a chosen moment, a delete cut
 * short) and let the rest through unchanged.
 */
public abstract class InterceptedStorageDriver implements StorageDriver {
  /** What the driver was asked to do; a move is seen at its destination. */
  public enum Operation { READ, WRITE, STAT, TOUCH, LIST, WALK, CLAIM, MOVE, DELETE, UNFINISHED_WRITES, WRITER, READER }

  private final StorageDriver driver;

  protected InterceptedStorageDriver(StorageDriver driver) {
    this.driver = driver;
  }

  /** Runs {@code call} (the real driver's operation on {@code path}), or instead of it does what the test needs. */
  protected abstract <T> Future<T> intercept(Operation operation, String path, Supplier<Future<T>> call);

  @Override
  public Future<Buffer> read(String path) {
    return intercept(Operation.READ, path, () -> driver.read(path));
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return intercept(Operation.WRITE, path, () -> driver.write(path, content));
  }

  @Override
  public Future<FileStat> stat(String path) {
    return intercept(Operation.STAT, path, () -> driver.stat(path));
  }

  @Override
  public Future<Void> touch(String path) {
    return intercept(Operation.TOUCH, path, () -> driver.touch(path));
  }

  @Override
  public Future<List<String>> list(String path) {
    return intercept(Operation.LIST, path, () -> driver.list(path));
  }

  @Override
  public Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page) {
    return intercept(Operation.WALK, path, () -> driver.walk(path, page));
  }

  @Override
  public Future<Boolean> claim(String path, Function<Long, Future<Boolean>> stillGarbage) {
    return intercept(Operation.CLAIM, path, () -> driver.claim(path, stillGarbage));
  }

  @Override
  public Future<Void> move(String from, String to) {
    return intercept(Operation.MOVE, to, () -> driver.move(from, to));
  }

  @Override
  public Future<Void> delete(String path) {
    return intercept(Operation.DELETE, path, () -> driver.delete(path));
  }

  @Override
  public Future<List<UnfinishedWrite>> unfinishedWrites(String path) {
    return intercept(Operation.UNFINISHED_WRITES, path, () -> driver.unfinishedWrites(path));
  }

  @Override
  public Future<FileWriter> writer(String path, boolean append) {
    return intercept(Operation.WRITER, path, () -> driver.writer(path, append));
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    return intercept(Operation.READER, path, () -> driver.reader(path, offset, length));
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
