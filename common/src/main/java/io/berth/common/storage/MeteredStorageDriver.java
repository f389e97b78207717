package io.berth.common.storage;

import io.berth.common.metrics.DistributionMetrics;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A driver that times every operation of another into {@code berth_storage_action_seconds{driver, action, outcome}}.
 * For {@code reader} and {@code writer} the time is the opening of the stream, not the transfer. The operations
 * distribution times are also recorded as its {@code registry_storage_action_seconds{driver, action}}, under its
 * action names (read is GetContent, write PutContent, …) and whatever their outcome, as distribution does.
 */
public final class MeteredStorageDriver implements StorageDriver {
  private static final String NAME = "berth.storage.action";
  private static final String DESCRIPTION = "Storage driver operations by action and outcome";

  private final StorageDriver driver;
  private final Metrics metrics;
  private final String driverName;
  private final DistributionMetrics distribution;

  public MeteredStorageDriver(StorageDriver driver, Metrics metrics, String driverName) {
    this.driver = driver;
    this.metrics = metrics;
    this.driverName = driverName;
    this.distribution = new DistributionMetrics(metrics);
  }

  private <T> Future<T> timed(String action, Supplier<Future<T>> operation) {
    return timed(action, null, operation);
  }

  /** {@code distributionAction}: distribution's name of the action, null when distribution does not time it. */
  private <T> Future<T> timed(String action, String distributionAction, Supplier<Future<T>> operation) {
    long start = System.nanoTime();
    return operation.get().onComplete(done -> {
      long nanos = System.nanoTime() - start;
      metrics.record(nanos, NAME, DESCRIPTION, "driver", driverName, "action", action,
          "outcome", outcome(done.cause()));
      if (distributionAction != null) {
        distribution.storageAction(driverName, distributionAction, nanos);
      }
    });
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return "success";
    }
    return failure instanceof PathNotFoundException ? "not_found" : "error";
  }

  @Override
  public Future<Buffer> read(String path) {
    return timed("read", "GetContent", () -> driver.read(path));
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return timed("write", "PutContent", () -> driver.write(path, content));
  }

  @Override
  public Future<FileStat> stat(String path) {
    return timed("stat", "Stat", () -> driver.stat(path));
  }

  @Override
  public Future<List<String>> list(String path) {
    return timed("list", "List", () -> driver.list(path));
  }

  /** The whole walk, its pages' handling included, as distribution times its Walk. */
  @Override
  public Future<Void> walk(String path, Function<List<FileInfo>, Future<Void>> page) {
    return timed("walk", "Walk", () -> driver.walk(path, page));
  }

  @Override
  public Future<Boolean> claim(String path, Function<Long, Future<Boolean>> stillGarbage) {
    return timed("claim", () -> driver.claim(path, stillGarbage));
  }

  @Override
  public Future<Void> move(String from, String to) {
    return timed("move", "Move", () -> driver.move(from, to));
  }

  @Override
  public Future<Void> delete(String path) {
    return timed("delete", "Delete", () -> driver.delete(path));
  }

  @Override
  public Future<List<UnfinishedWrite>> unfinishedWrites(String path) {
    return timed("unfinished_writes", () -> driver.unfinishedWrites(path));
  }

  @Override
  public Future<Void> touch(String path) {
    return timed("touch", () -> driver.touch(path));
  }

  @Override
  public Future<FileWriter> writer(String path, boolean append) {
    return timed("writer", () -> driver.writer(path, append));
  }

  @Override
  public Future<ReadStream<Buffer>> reader(String path, long offset, long length) {
    return timed("reader", () -> driver.reader(path, offset, length));
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
