package io.berth.manifest.store;

import io.berth.common.storage.InterceptedStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real driver whose deletes of some paths fail, as storage does when the process doing them dies or the storage
 * goes away half-way through an operation of several steps: what the steps before left must still be consistent.
 */
final class RefusedDeletes extends InterceptedStorageDriver {
  private final Predicate<String> refused;

  RefusedDeletes(StorageDriver driver, Predicate<String> refused) {
    super(driver);
    this.refused = refused;
  }

  @Override
  protected <T> Future<T> intercept(Operation operation, String path, Supplier<Future<T>> call) {
    return operation == Operation.DELETE && refused.test(path)
        ? Future.failedFuture(new IOException("delete refused: " + path)) : call.get();
  }
}
