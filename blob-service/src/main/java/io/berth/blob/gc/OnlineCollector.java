package io.berth.blob.gc;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.GcResult;
import io.berth.common.config.GcConfig;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.shareddata.Lock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a collection every {@code storage.gc.interval} (the first one an interval after start) on a worker of its
 * own, never two at once, while the registry serves. Each run holds the cluster-wide lock {@value #LOCK}, so the
 * collectors of several processes on one storage never run together: one that cannot take it soon skips its turn.
 * After each run it publishes the run's counts and the manifests it deleted on {@link Addresses#GC_COMPLETED} (an
 * in-process manifest cache drops them).
 */
public final class OnlineCollector {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineCollector.class);
  static final String LOCK = "berth.gc";
  /** Long enough for a cluster round trip; a collector held up longer is another one's run, which may take hours. */
  static final long LOCK_TIMEOUT_MS = 500;
  private static final Duration SHORT_GRACE_PERIOD = Duration.ofMinutes(10);

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final GcConfig config;
  private final GarbageCollector collector;
  private volatile boolean stopping;
  private long timer = -1;
  private Future<?> running = Future.succeededFuture();

  /** Made on the context its storage calls start on (a verticle's event loop); runs wait on {@code worker}. */
  public OnlineCollector(Vertx vertx, WorkerExecutor worker, StorageDriver driver, GcConfig config) {
    this(vertx, worker, driver, config, GcListener.NONE);
  }

  /** {@code listener} hears what each run does, on the worker thread. */
  OnlineCollector(Vertx vertx, WorkerExecutor worker, StorageDriver driver, GcConfig config, GcListener listener) {
    this.vertx = vertx;
    this.worker = worker;
    this.config = config;
    this.collector = new GarbageCollector(driver, vertx.getOrCreateContext(),
        new GcOptions(false, config.deleteUntagged(), config.gracePeriod()), new ManifestReader(), listener,
        () -> stopping);
  }

  public void start() {
    LOG.info("online garbage collection every {} [graceperiod: {}, deleteuntagged: {}]", config.interval(),
        config.gracePeriod(), config.deleteUntagged());
    if (config.gracePeriod().compareTo(SHORT_GRACE_PERIOD) < 0) {
      LOG.warn("storage.gc.graceperiod {} is short: a push whose manifest arrives more than 15/16 of it after the "
          + "registry confirmed its blobs may find them collected (docs/DESIGN.md, Garbage collection)",
          config.gracePeriod());
    }
    schedule();
  }

  private void schedule() {
    timer = vertx.setTimer(config.interval().toMillis(), id -> collect());
  }

  private void collect() {
    running = vertx.sharedData().getLockWithTimeout(LOCK, LOCK_TIMEOUT_MS)
        .transform(locked -> {
          if (locked.failed()) {
            LOG.debug("garbage collection skipped: another collector holds {} ({})", LOCK,
                locked.cause().getMessage());
            return Future.succeededFuture();
          }
          Lock lock = locked.result();
          return run().onComplete(done -> lock.release());
        })
        .onComplete(done -> {
          if (!stopping) {
            schedule();
          }
        });
  }

  private Future<GcResult> run() {
    return worker.executeBlocking(collector::run, false)
        .onSuccess(this::completed)
        .onFailure(failure -> {
          if (failure instanceof GcException) {
            LOG.error("garbage collection stopped, nothing deleted: {}", failure.getMessage());
          } else {
            LOG.error("garbage collection failed", failure);
          }
        });
  }

  private void completed(GcResult result) {
    boolean deleted = result.blobsDeleted() + result.manifestsDeleted().size() + result.layerLinksDeleted() > 0;
    String message = "garbage collection freed {} bytes: {} blobs, {} manifests, {} layer links deleted; "
        + "{} unreferenced blobs kept for the grace period [took: {} ms]";
    Object[] arguments = {result.bytesFreed(), result.blobsDeleted(), result.manifestsDeleted().size(),
        result.layerLinksDeleted(), result.blobsKept(), result.durationMillis()};
    if (deleted) {
      LOG.info(message, arguments);
    } else {
      LOG.debug(message, arguments);
    }
    vertx.eventBus().publish(Addresses.GC_COMPLETED, result.toJson());
  }

  /** Cancels the next run and asks a running one to stop deleting; completes when it has. */
  public Future<Void> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return running.<Void>mapEmpty().otherwiseEmpty();
  }
}
