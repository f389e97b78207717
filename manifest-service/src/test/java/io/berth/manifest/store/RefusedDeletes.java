package io.berth.manifest.store;

import io.berth.common.storage.FileWriter;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A real driver whose deletes of some paths fail, as storage does when the process doing them dies or the storage
 * goes away half-way through an operation of several steps: what the steps before left must still be consistent.
 */
final class RefusedDeletes implements StorageDriver {
  private final StorageDriver driver;
  private final Predicate<String> refused;

  RefusedDeletes(StorageDriver driver, Predicate<String> refused) {
    this.driver = driver;
    this.refused = refused;
  }

  @Override
  public Future<Void> delete(String path) {
    return refused.test(path) ? Future.failedFuture(new IOException("delete refused: " + path)) : driver.delete(path);
  }

  @Override
  public Future<Buffer> read(String path) {
    return driver.read(path);
  }

  @Override
  public Future<Void> write(String path, Buffer content) {
    return driver.write(path, content);
  }

  @Override
  public Future<FileStat> stat(String path) {
    return driver.stat(path);
  }

  @Override
  public Future<Void> touch(String path) {
    return driver.touch(path);
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
  public Future<Void> move(String from, String to) {
    return driver.move(from, to);
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
