package io.berth.common.storage;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import java.util.function.Supplier;

/** A file written in place: every byte is at its path as soon as it is written, so closing and committing are one. */
final class FileSystemFileWriter implements FileWriter {
  private final AsyncFile file;
  private final Supplier<Future<Void>> delete;
  private long size;

  FileSystemFileWriter(AsyncFile file, long size, Supplier<Future<Void>> delete) {
    this.file = file;
    this.size = size;
    this.delete = delete;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Future<Void> write(Buffer chunk) {
    size += chunk.length();
    return file.write(chunk);
  }

  @Override
  public Future<Void> close() {
    return file.end();
  }

  @Override
  public Future<Void> commit() {
    return file.end();
  }

  @Override
  public Future<Void> cancel() {
    return file.end().transform(closed -> delete.get());
  }
}
