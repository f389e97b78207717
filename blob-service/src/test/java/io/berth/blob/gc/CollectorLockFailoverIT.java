package io.berth.blob.gc;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.common.testing.FreePorts;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Lock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The online collector's cluster-wide lock outlives no process: when the member holding it is killed (SIGKILL, no
 * chance to release), another member can take it, so garbage collection does not stop for good.
 */
class CollectorLockFailoverIT {
  private static final Pattern HOLDING = Pattern.compile("holding the lock berth\\.gc \\[port: (\\d+)]");

  @Test
  void theLockOfAKilledHolderPassesToAnotherMember() throws Exception {
    String cluster = TestClusters.newName();
    int port = FreePorts.onLoopback();
    Vertx member = TestClusters.member(cluster, port, List.of(port)).await(60, TimeUnit.SECONDS);
    try (ChildProcess holder = ChildProcess.java(CollectorLockHolder.class, cluster,
        Integer.toString(FreePorts.onLoopback()), Integer.toString(port)).start()) {
      holder.awaitPort(HOLDING);
      Future<Lock> whileHeld = member.sharedData().getLockWithTimeout(OnlineCollector.LOCK, 1_000);
      assertThrows(Exception.class, () -> whileHeld.await(10, TimeUnit.SECONDS), "the lock is held by the other JVM");

      holder.kill();

      Lock lock = member.sharedData().getLockWithTimeout(OnlineCollector.LOCK, 30_000).await(40, TimeUnit.SECONDS);
      lock.release();
    } finally {
      member.close().await(30, TimeUnit.SECONDS);
    }
  }
}
