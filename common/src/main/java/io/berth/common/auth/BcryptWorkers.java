package io.berth.common.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where password checks run: a worker pool of their own, {@value #POOL_NAME}, of max(1, cores/2) threads and shared by
 * the whole process (Vert.x shares a named pool), so that logins never hold up the default worker pool that serves
 * storage, and never take every core. At most {@value #MAX_PENDING} checks may wait or run in the process at once: a
 * flood from more addresses than the throttle holds back is then refused at once instead of queueing without end.
 */
final class BcryptWorkers {
  static final String POOL_NAME = "berth-bcrypt";
  static final int MAX_PENDING = 256;

  private final WorkerExecutor executor;
  private final AtomicInteger pending;

  private BcryptWorkers(WorkerExecutor executor, AtomicInteger pending) {
    this.executor = executor;
    this.pending = pending;
  }

  /** The process's pool; closed with the verticle that asked for it (each asking verticle holds a reference). */
  static BcryptWorkers of(Vertx vertx) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new BcryptWorkers(vertx.createSharedWorkerExecutor(POOL_NAME, threads),
        ProcessShared.get(vertx, "bcrypt.pending", AtomicInteger::new));
  }

  /** A password check, refused with {@link LoginThrottled} (scope process) while too many are pending. */
  <T> Future<T> check(Callable<T> check) {
    if (pending.incrementAndGet() > MAX_PENDING) {
      pending.decrementAndGet();
      return Future.failedFuture(new LoginThrottled(LoginThrottled.Scope.PROCESS, 1));
    }
    return executor.executeBlocking(check, false).andThen(done -> pending.decrementAndGet());
  }

  /** Other work on the users file (a lookup without a password check), never refused. */
  <T> Future<T> run(Callable<T> work) {
    return executor.executeBlocking(work, false);
  }
}
