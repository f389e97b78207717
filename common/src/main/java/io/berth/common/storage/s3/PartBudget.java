package io.berth.common.storage.s3;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The parts S3 writers may hold in memory at once, process-wide. Each writer holds at most one part ({@code
 * chunksize}) before it sends it, but the number of writers is the number of uploads in flight, so without a bound a
 * few dozen stalled uploads fill the heap. A writer reserves a part before it holds the first byte of it and releases
 * it once it holds nothing again (the part sent, or the writer ended however it ended). A writer that finds no part
 * free waits holding none: its write's future stays incomplete, which stops the sender, until a part is released or
 * the wait times out (the write then fails with 503, which a client retries).
 *
 * <p>Also how many parts one upload may have (S3 takes 10,000), so a writer refuses the byte that would need one more
 * part instead of S3 refusing the part.
 */
final class PartBudget {
  /** S3's most parts in one multipart upload. */
  static final int S3_MAX_PARTS = 10_000;
  /** Shorter than the event-bus chunk timeout (60 s), so the client hears this 503 rather than a lost chunk. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private final int parts;
  private final int maxPartsPerUpload;
  private final long waitMs;
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private int free;

  PartBudget(int parts, int maxPartsPerUpload, Duration wait) {
    if (parts < 1 || maxPartsPerUpload < 1) {
      throw new IllegalArgumentException("a part budget needs at least one part");
    }
    this.parts = parts;
    this.maxPartsPerUpload = maxPartsPerUpload;
    this.waitMs = wait.toMillis();
    this.free = parts;
  }

  /** A quarter of the maximum heap in parts of {@code chunkSize}, and at least two. */
  static PartBudget forHeap(long chunkSize) {
    return new PartBudget(partsForHeap(Runtime.getRuntime().maxMemory(), chunkSize), S3_MAX_PARTS, WAIT);
  }

  static int partsForHeap(long maxHeap, long chunkSize) {
    return (int) Math.max(2, Math.min(Integer.MAX_VALUE, maxHeap / 4 / chunkSize));
  }

  int parts() {
    return parts;
  }

  int maxPartsPerUpload() {
    return maxPartsPerUpload;
  }

  /** The parts no writer holds now. */
  synchronized int available() {
    return free;
  }

  /** Completes on the context once a part is the caller's; it must then be released exactly once. */
  Future<Void> reserve(Context context) {
    Waiter waiter;
    synchronized (this) {
      if (free > 0 && waiters.isEmpty()) {
        free--;
        return Future.succeededFuture();
      }
      waiter = new Waiter(context, Promise.promise());
      waiters.add(waiter);
    }
    waiter.timer = ((ContextInternal) context).setTimer(waitMs, id -> timedOut(waiter));
    return waiter.promise.future();
  }

  void release() {
    Waiter next;
    synchronized (this) {
      next = waiters.poll();
      if (next == null) {
        free = Math.min(parts, free + 1);
        return;
      }
    }
    if (next.timer >= 0) {
      next.context.owner().cancelTimer(next.timer);
    }
    next.context.runOnContext(v -> next.promise.complete());
  }

  private void timedOut(Waiter waiter) {
    synchronized (this) {
      if (!waiters.remove(waiter)) {
        return;
      }
    }
    waiter.promise.fail(new RegistryException(ErrorCode.UNAVAILABLE, "the registry holds as many upload parts in "
        + "memory as it may (" + parts + "); retry the upload"));
  }

  private static final class Waiter {
    final Context context;
    final Promise<Void> promise;
    /** Set after the waiter is queued: a release may come first, and its timer then fires to no effect. */
    volatile long timer = -1;

    Waiter(Context context, Promise<Void> promise) {
      this.context = context;
      this.promise = promise;
    }
  }
}
