package io.berth.blob.gc;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.berth.common.config.GcConfig;
import io.berth.common.oci.Digest;
import io.berth.common.testing.OnContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.berth.common.storage.FileSystemStorageDriver;
import io.berth.common.storage.StorageDriver;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two online collectors on one Vert.x (as two processes of a cluster share its lock) over one real storage: while
 * one runs a round (held open by its listener) the other skips its turns, and it runs once the round is over.
 */
class OnlineCollectorLockTest {
  private static final GcConfig EVERY_MILLISECOND = new GcConfig(true, Duration.ofMillis(1), Duration.ofHours(2),
      false);
  private static final String SKIPPED = "garbage collection skipped";

  @TempDir
  Path root;
  private Vertx vertx;
  private StorageDriver driver;
  private final List<OnlineCollector> collectors = new ArrayList<>();
  private final List<WorkerExecutor> workers = new ArrayList<>();
  private SkipLog skips;

  @BeforeEach
  void craftAndWatch() {
    vertx = Vertx.vertx();
    driver = new FileSystemStorageDriver(vertx, root);
    CraftedLayout layout = new CraftedLayout(driver);
    Digest config = layout.blob(100);
    Digest layer = layout.blob(2_000);
    layout.linked("team/app", config, layer).tagged("team/app", "latest", layout.image(config, layer));
    layout.linked("team/other", layout.blob(300));
    skips = new SkipLog();
  }

  @AfterEach
  void stopAll() {
    for (OnlineCollector collector : collectors) {
      result(OnContext.run(vertx, collector::stop));
    }
    workers.forEach(worker -> result(worker.close()));
    skips.close();
    driver.close();
    result(vertx.close());
  }

  /** Each round reports marking its first repository before anything else. */
  private abstract static class RoundStart implements GcListener {
    @Override
    public void marked(String repository, int repositories, int manifests) {
      if (repositories == 1) {
        roundStarted();
      }
    }

    abstract void roundStarted();
  }

  private void start(GcListener listener) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("gc-test-" + workers.size(), 1, 1, TimeUnit.MINUTES);
    workers.add(worker);
    OnlineCollector collector = new OnlineCollector(vertx, worker, driver, EVERY_MILLISECOND, listener);
    collectors.add(collector);
    result(OnContext.run(vertx, () -> {
      collector.start();
      return Future.succeededFuture();
    }));
  }

  @Test
  void whileOneCollectorRunsARoundTheOtherSkipsItsTurnsAndRunsOnceTheRoundIsOver() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean firstHolding = new AtomicBoolean();
    Promise<Void> firstInRound = Promise.promise();
    start(new RoundStart() {
      @Override
      void roundStarted() {
        if (firstInRound.tryComplete()) {
          firstHolding.set(true);
          awaitQuietly(release);
          firstHolding.set(false);
        }
      }
    });
    result(firstInRound.future());
    AtomicBoolean overlapped = new AtomicBoolean();
    Promise<Void> secondRan = Promise.promise();
    Future<String> skipped = skips.next();
    start(new RoundStart() {
      @Override
      void roundStarted() {
        overlapped.compareAndSet(false, firstHolding.get());
        secondRan.tryComplete();
      }
    });

    result(Future.any(skipped, secondRan.future()));
    boolean secondRanWhileHeld = secondRan.future().isComplete();
    release.countDown();
    result(secondRan.future());

    assertFalse(secondRanWhileHeld, "the second collector ran while the first one's round held the lock");
    assertFalse(overlapped.get(), "two rounds overlapped");
    assertTrue(skipped.result().contains(OnlineCollector.LOCK), skipped.result());
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The collector's DEBUG line for a skipped turn, watched while the test runs. */
  private static final class SkipLog extends AppenderBase<ILoggingEvent> {
    private final Logger logger = (Logger) LoggerFactory.getLogger(OnlineCollector.class);
    private final Level level = logger.getLevel();
    private final List<Promise<String>> waits = new CopyOnWriteArrayList<>();

    SkipLog() {
      start();
      logger.addAppender(this);
      logger.setLevel(Level.DEBUG);
    }

    Future<String> next() {
      Promise<String> seen = Promise.promise();
      waits.add(seen);
      return seen.future();
    }

    @Override
    protected void append(ILoggingEvent event) {
      String line = event.getFormattedMessage();
      if (line.startsWith(SKIPPED)) {
        waits.forEach(wait -> wait.tryComplete(line));
      }
    }

    void close() {
      logger.detachAppender(this);
      logger.setLevel(level);
      stop();
    }
  }
}
