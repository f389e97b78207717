package io.berth.common.auth;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where password checks run: a worker pool of their own, {@value #POOL_NAME}, of max(1, cores/2) threads and shared by
 * the whole process (Vert.x shares a named pool), so that logins never hold up the default worker pool that serves
 * storage, and never take every core.
 *
 * <p>Checks wait in two queues of the process: those of a trusted login (the account logged in right from that
 * address lately) go first, so a client that logs in right is not queued behind a guesser's checks. Each queue has
 * its own bound, {@value #MAX_PENDING} checks waiting or running: a flood from more addresses than the throttle holds
 * back is then refused at once instead of queueing without end, and cannot take the trusted logins' places.
 */
final class BcryptWorkers {
  static final String POOL_NAME = "berth-bcrypt";
  static final int MAX_PENDING = 256;

  private final Vertx vertx;
  private final WorkerExecutor executor;
  private final Queues queues;

  private BcryptWorkers(Vertx vertx, WorkerExecutor executor, Queues queues) {
    this.vertx = vertx;
    this.executor = executor;
    this.queues = queues;
  }

  /** The process's pool; closed with the verticle that asked for it (each asking verticle holds a reference). */
  static BcryptWorkers of(Vertx vertx) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new BcryptWorkers(vertx, vertx.createSharedWorkerExecutor(POOL_NAME, threads),
        ProcessShared.get(vertx, "bcrypt.queues", Queues::new));
  }

  /**
   * A password check, completed on the caller's context; {@code first} puts it ahead of the checks queued without.
   * Refused with {@link LoginThrottled} (scope process) while too many are pending.
   */
  <T> Future<T> check(boolean first, Callable<T> check) {
    AtomicInteger pending = queues.pending(first);
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return Future.failedFuture(new LoginThrottled(LoginThrottled.Scope.PROCESS, 1));
    }
    Context caller = vertx.getOrCreateContext();
    Promise<T> done = Promise.promise();
    queues.add(first, () -> {
      Future<T> outcome;
      try {
        outcome = Future.succeededFuture(check.call());
      } catch (Exception e) {
        outcome = Future.failedFuture(e);
      }
      pending.decrementAndGet();
      Future<T> result = outcome;
      caller.runOnContext(v -> done.handle(result));
    });
    // One pool task per queued check, each running whichever check is first in line when a thread is free.
    executor.executeBlocking(() -> {
      queues.next().run();
      return null;
    }, false);
    return done.future();
  }

  /** Other work on the users file (a lookup without a password check), never refused. */
  <T> Future<T> run(Callable<T> work) {
    return executor.executeBlocking(work, false);
  }

  /** The checks of the process in line; every pool task finds one, since each is queued before its task. */
  private static final class Queues {
    private final AtomicInteger firstPending = new AtomicInteger();
    private final AtomicInteger restPending = new AtomicInteger();
    private final Queue<Runnable> first = new ArrayDeque<>();
    private final Queue<Runnable> rest = new ArrayDeque<>();

    AtomicInteger pending(boolean ahead) {
      return ahead ? firstPending : restPending;
    }

    synchronized void add(boolean ahead, Runnable check) {
      (ahead ? first : rest).add(check);
    }

    synchronized Runnable next() {
      Runnable check = first.poll();
      return check != null ? check : rest.poll();
    }
  }
}
