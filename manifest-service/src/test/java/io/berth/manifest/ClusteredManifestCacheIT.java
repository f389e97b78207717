package io.berth.manifest;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static io.berth.manifest.TwoManifestProcesses.delete;
import static io.berth.manifest.TwoManifestProcesses.digest;
import static io.berth.manifest.TwoManifestProcesses.get;
import static io.berth.manifest.TwoManifestProcesses.push;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.error.ErrorCode;
import io.berth.common.testing.TestClusters;
import io.berth.manifest.store.CachePolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two manifest services on two Vert.x instances clustered by Hazelcast, one storage: the clustered bus alone makes
 * them use the shared cache policy (no policy is given), so whichever process a read reaches, it never answers
 * what another has just replaced or deleted. The bus spreads requests over both, so each read is repeated until
 * both processes have answered one. {@link S3ClusteredManifestCacheIT} runs the same on an S3 bucket.
 */
class ClusteredManifestCacheIT {
  @TempDir
  static Path root;
  private static TwoManifestProcesses processes;
  private static final AtomicInteger FIRST_READS = new AtomicInteger();
  private static final AtomicInteger SECOND_READS = new AtomicInteger();

  @BeforeAll
  static void start() {
    start(root, Map.of());
  }

  /** Two members on one storage: {@code root}, or (null) the driver {@code storage} configures. */
  static void start(Path root, Map<String, String> storage) {
    String cluster = "berth-test-" + UUID.randomUUID();
    List<Integer> ports = TestClusters.freePorts(2);
    // One after the other: members started together could each form a cluster of their own and merge late.
    Vertx first = result(TestClusters.member(cluster, ports.get(0), ports));
    Vertx second = result(TestClusters.member(cluster, ports.get(1), ports));
    processes = new TwoManifestProcesses(
        RunningManifestService.start(first, root, true, storage, null),
        RunningManifestService.start(second, root, true, storage, null));
    processes.knowImages('a', 'b');
    countReads(first, FIRST_READS);
    countReads(second, SECOND_READS);
  }

  private static void countReads(Vertx vertx, AtomicInteger reads) {
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (delivery.message().address().equals(Addresses.MANIFEST_GET)) {
        reads.incrementAndGet();
      }
      delivery.next();
    });
  }

  @AfterAll
  static void stop() {
    processes.close();
  }

  /** Reads until each process has answered at least one read, checking every answer. */
  private static void readOnBoth(String reference, Consumer<Future<ManifestContent>> check) {
    int first = FIRST_READS.get();
    int second = SECOND_READS.get();
    for (int read = 0; read < 20 && (FIRST_READS.get() == first || SECOND_READS.get() == second); read++) {
      check.accept(get(processes.writer, reference));
    }
    assertTrue(FIRST_READS.get() > first && SECOND_READS.get() > second, "both processes answered reads");
  }

  private static Consumer<Future<ManifestContent>> answers(String digest) {
    return read -> assertEquals(digest, result(read).digest());
  }

  private static Consumer<Future<ManifestContent>> unknown() {
    return read -> failsWith(ErrorCode.MANIFEST_UNKNOWN, read);
  }

  @Test
  void aClusteredBusChoosesTheSharedPolicy() {
    assertTrue(processes.writer.vertx().isClustered());
    assertEquals(CachePolicy.SHARED, CachePolicy.of(processes.writer.vertx()));
  }

  @Test
  void whicheverProcessAReadReachesItAnswersTheTagAsLastPushedAndNothingDeleted() {
    push(processes.writer, "t", 'a');
    readOnBoth("t", answers(digest('a')));

    push(processes.writer, "t", 'b');
    readOnBoth("t", answers(digest('b')));
    readOnBoth(digest('a'), answers(digest('a')));

    delete(processes.writer, digest('b'));
    readOnBoth(digest('b'), unknown());
    readOnBoth("t", unknown());
  }

  @Test
  void aDeletedTagIsUnknownWhicheverProcessAReadReaches() {
    push(processes.writer, "u", 'a');
    readOnBoth("u", answers(digest('a')));

    delete(processes.writer, "u");
    readOnBoth("u", unknown());
  }
}
