package io.berth.blob.gc;

import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriver.FileInfo;
import io.berth.common.storage.StorageDriver.FileStat;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The storage driver as the collector uses it: each call is started on {@code context} (an event loop, where the
 * driver's futures belong) and waited for on the collector's own thread, which is never one of Vert.x's event loops
 * (a worker of its own online, {@code main} offline). A collection is one long sequence of decisions; this keeps it
 * readable as one, while every byte still moves through the driver.
 */
final class SyncStorage {
  private final StorageDriver driver;
  private final Context context;

  SyncStorage(StorageDriver driver, Context context) {
    this.driver = driver;
    this.context = context;
  }

  StorageDriver driver() {
    return driver;
  }

  /** Waits for the operation, started on the context; its failure is thrown as it failed (an IOException wrapped). */
  <T> T await(Supplier<Future<T>> operation) throws IOException {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      Future<T> started;
      try {
        started = operation.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(done -> {
        if (done.succeeded()) {
          result.complete(done.result());
        } else {
          result.completeExceptionally(done.cause());
        }
      });
    });
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for the storage");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(cause);
    }
  }

  /** Every file below {@code path}, a page at a time; {@code page} runs on the context and must be quick. */
  void walk(String path, Consumer<List<FileInfo>> page) throws IOException {
    await(() -> driver.walk(path, files -> {
      page.accept(files);
      return Future.succeededFuture();
    }));
  }

  /** The file's stat, or null when it is missing. */
  FileStat stat(String path) throws IOException {
    return await(() -> orNull(driver.stat(path)));
  }

  boolean exists(String path) throws IOException {
    return stat(path) != null;
  }

  void delete(String path) throws IOException {
    await(() -> driver.delete(path));
  }

  void move(String from, String to) throws IOException {
    await(() -> driver.move(from, to));
  }

  boolean claim(String path, Function<Long, Future<Boolean>> stillGarbage) throws IOException {
    return await(() -> driver.claim(path, stillGarbage));
  }

  /**
   * What {@code task} answers for each item, in the items' order, with {@link BoundedFanOut#PER_REQUEST} of them in
   * flight: one repository's reads (its tags, its manifests) take round trips on S3, not one after the other.
   */
  <T, R> List<R> each(List<T> items, Function<T, Future<R>> task) throws IOException {
    if (items.isEmpty()) {
      return List.of();
    }
    return new ArrayList<>(await(() -> BoundedFanOut.map(items, task)));
  }

  /** A missing file answers null instead of failing. */
  static <T> Future<T> orNull(Future<T> operation) {
    return operation.recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture()
        : Future.failedFuture(failure));
  }

  static Future<Buffer> readOrNull(StorageDriver driver, String path) {
    return orNull(driver.read(path));
  }
}
