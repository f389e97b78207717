package io.berth.common.concurrent;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.OnContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class BoundedFanOutTest {
  /** Counts the tasks in flight and remembers the most there ever were. */
  private static final class InFlight {
    private int now;
    private int most;
    private final AtomicInteger started = new AtomicInteger();

    <T> Future<T> around(Vertx vertx, long delayMs, T value) {
      started.incrementAndGet();
      now++;
      most = Math.max(most, now);
      Promise<T> done = Promise.promise();
      vertx.setTimer(delayMs, id -> {
        now--;
        done.complete(value);
      });
      return done.future();
    }
  }

  @Test
  void neverMoreThanTheLimitRunAtOnceAndResultsKeepTheItemsOrder(Vertx vertx) {
    List<Integer> items = IntStream.range(0, 500).boxed().toList();
    InFlight inFlight = new InFlight();

    List<Integer> results = result(OnContext.run(vertx, () -> BoundedFanOut.map(items, 16,
        item -> inFlight.around(vertx, 1 + ThreadLocalRandom.current().nextInt(5), item * 2))));

    assertEquals(items.stream().map(item -> item * 2).toList(), results);
    assertEquals(16, inFlight.most);
    assertEquals(500, inFlight.started.get());
  }

  @Test
  void theFirstFailureFailsTheWholeAndStartsNoFurtherTask(Vertx vertx) {
    List<Integer> items = IntStream.range(0, 200).boxed().toList();
    InFlight inFlight = new InFlight();
    IllegalStateException broken = new IllegalStateException("item 20 is broken");

    Throwable failed = failure(OnContext.run(vertx, () -> BoundedFanOut.map(items, 4,
        item -> item == 20 ? Future.failedFuture(broken) : inFlight.around(vertx, 2, item))));

    assertSame(broken, failed);
    assertTrue(inFlight.started.get() < 30, () -> inFlight.started.get() + " tasks started after the failure");
  }

  @Test
  void aTaskThatThrowsFailsLikeOneThatFails(Vertx vertx) {
    Throwable failed = failure(OnContext.run(vertx, () -> BoundedFanOut.map(List.of(1, 2, 3), 2, item -> {
      if (item == 2) {
        throw new IllegalArgumentException("no");
      }
      return Future.succeededFuture(item);
    })));

    assertEquals("no", failed.getMessage());
  }

  /** A cache answers at once: thousands of such tasks must not nest their completions into a deep stack. */
  @Test
  void tasksThatCompleteAtOnceDoNotDeepenTheStack(Vertx vertx) {
    List<Integer> items = IntStream.range(0, 100_000).boxed().toList();

    List<Integer> results = result(OnContext.run(vertx, () -> BoundedFanOut.map(items, 16, Future::succeededFuture)));

    assertEquals(items, results);
  }

  /** One instance bounds a walk whose tasks submit more tasks, as the catalog's directory walk does. */
  @Test
  void tasksSubmittedByTasksShareTheBound(Vertx vertx) {
    BoundedFanOut fanOut = new BoundedFanOut(3);
    InFlight inFlight = new InFlight();
    List<Future<Integer>> leaves = new ArrayList<>();

    result(OnContext.run(vertx, () -> Future.all(IntStream.range(0, 10).mapToObj(branch ->
        fanOut.submit(() -> inFlight.around(vertx, 2, branch)).compose(b -> {
          List<Future<Integer>> below = IntStream.range(0, 10)
              .mapToObj(leaf -> fanOut.submit(() -> inFlight.around(vertx, 1, b * 10 + leaf))).toList();
          leaves.addAll(below);
          return Future.all(below);
        })).toList())));

    assertEquals(3, inFlight.most);
    assertEquals(110, inFlight.started.get());
    assertEquals(100, leaves.size());
  }

  @Test
  void emptyInputAnswersAnEmptyList(Vertx vertx) {
    assertEquals(List.of(), result(OnContext.run(vertx, () -> BoundedFanOut.map(List.<Integer>of(),
        Future::succeededFuture))));
  }

  @Test
  void aLimitBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BoundedFanOut(0));
  }
}
