package io.berth.common.storage.s3;

import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
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

  /**
   * S3's answers in the storage's terms: a missing key is {@link PathNotFoundException}; S3 that cannot serve now (a
   * 5xx, throttling, refused access, a bucket gone, a connection refused or reset, a call out of time) is
   * {@link StorageUnavailableException}; anything else (a bug of ours, a key S3 refuses) stays as it is.
   */
  static Throwable translate(String path, Throwable failure) {
    Throwable cause = unwrap(failure);
    if (isNotFound(cause)) {
      return new PathNotFoundException(path);
    }
    if (cause instanceof S3Exception s3 && unavailable(s3)) {
      return new StorageUnavailableException("S3 answered HTTP " + s3.statusCode() + " " + errorCode(s3), s3);
    }
    if (cause instanceof SdkClientException || cause instanceof IOException) {
      // IOException: a connection reset while a download's body streams reaches the reader as it is.
      return new StorageUnavailableException("S3 did not answer: " + cause.getMessage(), cause);
    }
    return cause;
  }

  private static boolean unavailable(S3Exception s3) {
    int status = s3.statusCode();
    // 501: the server does not implement what was sent, which no retry changes.
    return (status >= 500 && status != 501) || status == 429 || status == 401 || status == 403 || s3.isThrottlingException()
        || s3.retryable() || "RequestTimeout".equals(errorCode(s3)) || s3 instanceof NoSuchBucketException
        || "NoSuchBucket".equals(errorCode(s3));
  }

  private static String errorCode(S3Exception s3) {
    return s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
  }
}
