package io.berth.common.storage.s3;

import io.berth.common.storage.PathNotFoundException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Calls of the SDK's asynchronous client as Vert.x futures: the SDK completes its futures on its own I/O threads, and
 * each result is handed back on the context that made the call, so driver code never runs on a foreign thread and
 * never blocks one of Vert.x's.
 */
final class SdkCalls {
  private final Vertx vertx;

  SdkCalls(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The caller's context, or a fresh one for a caller outside Vert.x (a test thread, a main). */
  Context context() {
    Context current = Vertx.currentContext();
    return current != null ? current : vertx.getOrCreateContext();
  }

  /**
   * The call's outcome on the caller's context. A call that cannot even be made (a path not in normal form) fails the
   * future instead of throwing; an answer that the key does not exist fails it with {@link PathNotFoundException}.
   */
  <T> Future<T> call(String path, Supplier<CompletableFuture<T>> request) {
    Context context = context();
    CompletableFuture<T> started;
    try {
      started = request.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(started, context)
        .recover(failure -> Future.failedFuture(translate(path, failure)));
  }

  static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  static boolean isNotFound(Throwable failure) {
    return unwrap(failure) instanceof S3Exception s3 && s3.statusCode() == 404 && !(s3 instanceof NoSuchBucketException)
        && !"NoSuchBucket".equals(s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode());
  }

  static Throwable translate(String path, Throwable failure) {
    return isNotFound(failure) ? new PathNotFoundException(path) : unwrap(failure);
  }
}
