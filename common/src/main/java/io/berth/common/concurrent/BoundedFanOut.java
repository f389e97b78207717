package io.berth.common.concurrent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a request's asynchronous tasks with at most {@code limit} of them in flight; the others wait their turn in
 * order. Without it, one request that fans out over a list of unbounded size (a catalog walk, the revisions read for
 * referrers, the layers checked for a manifest) queued all of its storage or bus work at once, and every other
 * request's work waited behind it on the same workers. One instance serves one request, on that request's context.
 */
public final class BoundedFanOut {
  /** What one request may have in flight: enough to keep a disk busy, little enough that others get their turn. */
  public static final int PER_REQUEST = 16;

  private final int limit;
  private final Queue<Waiting> waiting = new ArrayDeque<>();
  private int running;
  private boolean starting;
  private Throwable stopped;

  private record Waiting(Runnable start, Promise<?> result) {
  }

  public BoundedFanOut(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  /** Each item's result, in the items' order; the first failure fails the whole and starts no further task. */
  public static <T, R> Future<List<R>> map(List<T> items, int limit, Function<T, Future<R>> task) {
    BoundedFanOut fanOut = new BoundedFanOut(limit);
    List<Future<R>> results = new ArrayList<>(items.size());
    for (T item : items) {
      results.add(fanOut.submit(() -> task.apply(item)).onFailure(fanOut::stop));
    }
    return Future.all(results).map(all -> all.list());
  }

  /** {@link #map} with {@link #PER_REQUEST} in flight. */
  public static <T, R> Future<List<R>> map(List<T> items, Function<T, Future<R>> task) {
    return map(items, PER_REQUEST, task);
  }

  /** Runs the task once fewer than the limit are in flight; after {@link #stop}, fails without running it. */
  public <R> Future<R> submit(Supplier<Future<R>> task) {
    Promise<R> result = Promise.promise();
    if (stopped != null) {
      result.fail(stopped);
      return result.future();
    }
    waiting.add(new Waiting(() -> run(task, result), result));
    startWaiting();
    return result.future();
  }

  /** Fails every task not yet started with {@code cause}, and every task submitted from now on. */
  public void stop(Throwable cause) {
    if (stopped != null) {
      return;
    }
    stopped = cause;
    List<Waiting> cancelled = new ArrayList<>(waiting);
    waiting.clear();
    cancelled.forEach(task -> task.result().tryFail(cause));
  }

  private <R> void run(Supplier<Future<R>> task, Promise<R> result) {
    running++;
    Future<R> started;
    try {
      started = task.get();
    } catch (RuntimeException e) {
      started = Future.failedFuture(e);
    }
    started.onComplete(done -> {
      running--;
      result.handle(done);
      startWaiting();
    });
  }

  /** A loop, not recursion: tasks that complete at once (a cache hit) must not deepen the stack with each other. */
  private void startWaiting() {
    if (starting) {
      return;
    }
    starting = true;
    try {
      while (running < limit && !waiting.isEmpty()) {
        waiting.poll().start().run();
      }
    } finally {
      starting = false;
    }
  }
}
