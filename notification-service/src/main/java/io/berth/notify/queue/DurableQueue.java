package io.berth.notify.queue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's {@link EventLog}, used from its verticle's event loop. Every disk operation runs on the endpoint's
 * own single worker thread, in the order it was asked for, so one endpoint's disk work never waits for another's.
 *
 * <p>Appends are forced to disk in batches: at most {@code syncInterval} after an event was written. An event
 * accepted within that window before a power loss or kernel crash can be lost; a crash of the process alone loses
 * nothing the log has written (the operating system still holds it).
 */
public final class DurableQueue {
  private static final Logger LOG = LoggerFactory.getLogger(DurableQueue.class);
  private final Vertx vertx;
  private final WorkerExecutor disk;
  private final EventLog log;
  private final Duration syncInterval;
  private volatile long pending;
  private long syncTimer = -1;
  private boolean closed;

  private DurableQueue(Vertx vertx, WorkerExecutor disk, EventLog log, Duration syncInterval) {
    this.vertx = vertx;
    this.disk = disk;
    this.log = log;
    this.syncInterval = syncInterval;
    this.pending = log.pending();
  }

  /**
   * Opens (or recovers) the queue in {@code directory}, first moving there the queue that the previous layout kept at
   * {@code legacy}, if any; fails when another service holds it.
   */
  public static Future<DurableQueue> open(Vertx vertx, Path directory, Path legacy, long segmentBytes,
      Duration syncInterval) {
    WorkerExecutor disk = vertx.createSharedWorkerExecutor("berth-notify-" + directory.toAbsolutePath(), 1);
    return disk.executeBlocking(() -> {
      EventLog.adopt(legacy, directory);
      return EventLog.open(directory, segmentBytes);
    }, true)
        .map(log -> new DurableQueue(vertx, disk, log, syncInterval))
        .onFailure(failure -> disk.close());
  }

  public static Future<DurableQueue> open(Vertx vertx, Path directory, Path legacy) {
    return open(vertx, directory, legacy, EventLog.DEFAULT_SEGMENT_BYTES, Duration.ofMillis(100));
  }

  /** Appends one event (one line of JSON); completes once it is written, not yet forced to disk. */
  public Future<Long> append(String json) {
    return onDisk(() -> log.append(json)).onSuccess(sequence -> scheduleSync());
  }

  /** The next event to deliver, if any. */
  public Future<Optional<QueuedEvent>> peek() {
    return onDisk(log::peek);
  }

  /** Marks the event at {@code sequence} delivered (or given up); nothing happens if the cursor is already past it. */
  public Future<Void> remove(long sequence) {
    return onDisk(() -> {
      if (log.head() == sequence) {
        log.advanceTo(sequence + 1);
      }
      return null;
    });
  }

  /** Drops the oldest undelivered events beyond {@code maxEvents}; completes with how many were dropped. */
  public Future<Long> trim(long maxEvents) {
    return onDisk(() -> log.trim(maxEvents));
  }

  /** Undelivered events, as of the last disk operation. */
  public long pending() {
    return pending;
  }

  /** Forces what was written to disk, closes the files and releases the directory. */
  public Future<Void> close() {
    if (syncTimer >= 0) {
      vertx.cancelTimer(syncTimer);
      syncTimer = -1;
    }
    Future<Void> closing = onDisk(() -> {
      log.close();
      return (Void) null;
    });
    closed = true;
    return closing.eventually(disk::close);
  }

  private <T> Future<T> onDisk(Callable<T> operation) {
    // Not "ordered": Vert.x orders those per context, in one task queue all endpoints of the verticle share, and a
    // task handed to an executor already shut down leaves that queue stuck for good, so one closed queue could
    // strand the other endpoints' disk work and the verticle's undeploy. The single thread keeps the order instead.
    if (closed) {
      return Future.failedFuture(new IllegalStateException("notification queue closed"));
    }
    return disk.executeBlocking(() -> {
      try {
        return operation.call();
      } finally {
        pending = log.pending();
      }
    }, false);
  }

  private void scheduleSync() {
    if (syncTimer >= 0 || closed) {
      return;
    }
    syncTimer = vertx.setTimer(Math.max(1, syncInterval.toMillis()), id -> {
      syncTimer = -1;
      disk.executeBlocking(() -> {
        log.sync();
        return null;
      }, false).onFailure(failure -> LOG.error("notification queue not forced to disk: {}", failure.toString()));
    });
  }
}
