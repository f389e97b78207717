package io.berth.common.storage;

import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A driver that times every operation of another into {@code berth_storage_action_seconds{driver, action, outcome}}
 * (distribution's {@code registry_storage_action_seconds}). For {@code reader} and {@code writer} the time is the
 * opening of the stream, not the transfer.
 */
public final class MeteredStorageDriver implements StorageDriver {
  private static final String NAME = "berth.storage.action";
  private static final String DESCRIPTION = "Storage driver operations by action and outcome";

  private final StorageDriver driver;
  private final Metrics metrics;
  private final String driverName;

  public MeteredStorageDriver(StorageDriver driver, Metrics metrics, String driverName) {
    this.driver = driver;
    this.metrics = metrics;
    this.driverName = driverName;
  }

  private <T> Future<T> timed(String action, Supplier<Future<T>> operation) {
    long start = System.nanoTime();
    return operation.get().onComplete(done -> metrics.record(System.nanoTime() - start, NAME, DESCRIPTION,
        "driver", driverName, "action", action, "outcome", outcome(done.cause())));
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "success";
    }
    return failure instanceof PathNotFoundException ? "not_found" : "error";
  }

  @Override
  public Future<Buffer> read(String path) {
    return timed("read", () -> driver.read(path));
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return timed("write", () -> driver.write(path, content));
  }

  @Override
  public Future<FileStat> stat(String path) {
    return timed("stat", () -> driver.stat(path));
  }

  @Override
  public Future<List<String>> list(String path) {
    return timed("list", () -> driver.list(path));
  }

  @Override
  public Future<Void> move(String from, String to) {
    return timed("move", () -> driver.move(from, to));
  }

  @Override
  public Future<Void> delete(String path) {
    return timed("delete", () -> driver.delete(path));
  }

  @Override
  public Future<Void> touch(String path) {
    return timed("touch", () -> driver.touch(path));
  }

  @Override
  public Future<WriteStream<Buffer>> writer(String path, long offset) {
    return timed("writer", () -> driver.writer(path, offset));
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    return timed("reader", () -> driver.reader(path, offset, length));
  }

  @Override
  public Optional<Path> localPath(String path) {
    return driver.localPath(path);
  }
}
