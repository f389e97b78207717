package io.berth.blob.upload;

import io.berth.common.storage.InterceptedStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A driver that holds the first operation on one path (a blob's data, which a commit touches before it moves the
 * upload there) until the test lets it go: the moment between an upload's verification and its move among the blobs,
 * made as long as a test needs to act in it.
 */
final class HeldBlobMove extends InterceptedStorageDriver {
  /** What a commit does to the blob's path; listings, deletes and streams go through at once. */
  private static final Set<Operation> HOLDS = EnumSet.of(Operation.READ, Operation.WRITE, Operation.STAT,
      Operation.TOUCH, Operation.MOVE);

  private final String held;
  private final Promise<Void> reached = Promise.promise();
  private final Promise<Void> released = Promise.promise();

  HeldBlobMove(StorageDriver driver, String held) {
    super(driver);
    this.held = held;
  }

  /** Completes once an operation on the held path arrived (and waits). */
  Future<Void> reached() {
    return reached.future();
  }

  void release() {
    released.tryComplete();
  }

  @Override
  protected <T> Future<T> intercept(Operation operation, String path, Supplier<Future<T>> call) {
    if (!HOLDS.contains(operation) || !path.equals(held) || reached.future().isComplete()) {
      return call.get();
    }
    reached.complete();
    return released.future().compose(v -> call.get());
  }
}
