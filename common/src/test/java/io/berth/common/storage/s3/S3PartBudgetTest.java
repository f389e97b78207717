package io.berth.common.storage.s3;

import static io.berth.common.testing.Await.failsWith;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.storage.FileWriter;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S3 writers hold their parts within the process's part budget, against a real S3 server: a writer past the budget
 * waits (its write incomplete, so the sender stops) holding no part, every way a writer ends gives its part back, and
 * an upload that would need more parts than S3 takes is refused as the client's error before S3 refuses it.
 */
class S3PartBudgetTest {
  private static final long MIB = 1024 * 1024;
  @S3Server
  private static S3TestServer server;
  private Vertx vertx;
  private Context context;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopVertx() {
    result(vertx.close());
  }

  private S3StorageDriver driver(PartBudget budget) {
    return S3StorageDriver.open(vertx, server.config(server.newBucket(), "root"), budget);
  }

  private <T> T on(Supplier<Future<T>> action) {
    return result(OnContext.run(context, action));
  }

  private FileWriter writer(S3StorageDriver driver, String name) {
    return on(() -> driver.writer("uploads/" + name, false));
  }

  private Future<Void> write(FileWriter writer, int bytes) {
    return OnContext.run(context, () -> writer.write(Buffer.buffer(new byte[bytes])));
  }

  @Test
  void aWriterPastTheBudgetWaitsUntilAPartIsReleased() {
    PartBudget budget = new PartBudget(2, PartBudget.S3_MAX_PARTS, Duration.ofSeconds(20));
    S3StorageDriver driver = driver(budget);
    try {
      FileWriter first = writer(driver, "a");
      FileWriter second = writer(driver, "b");
      FileWriter third = writer(driver, "c");
      result(write(first, 1024));
      result(write(second, 1024));
      assertEquals(0, budget.available());

      Future<Void> waiting = write(third, 1024);
      result(OnContext.run(context, () -> driver.list("uploads")).otherwiseEmpty());
      assertFalse(waiting.isComplete(), "a third writer took a part while two held the only two");

      on(first::close);
      result(waiting);
      assertEquals(0, budget.available());
      on(second::close);
      on(third::close);
      assertEquals(2, budget.available());
      assertEquals(1024, third.size());
    } finally {
      driver.close();
    }
  }

  @Test
  void aWaitIsBoundedAndAnswersUnavailable() {
    PartBudget budget = new PartBudget(1, PartBudget.S3_MAX_PARTS, Duration.ofMillis(200));
    S3StorageDriver driver = driver(budget);
    try {
      FileWriter holder = writer(driver, "a");
      FileWriter waiter = writer(driver, "b");
      result(write(holder, 1024));

      failsWith(ErrorCode.UNAVAILABLE, write(waiter, 1024));

      OnContext.run(context, waiter::close);
      on(holder::cancel);
      assertEquals(1, budget.available());
    } finally {
      driver.close();
    }
  }

  @Test
  void everyWayAWriterEndsGivesItsPartBack() {
    PartBudget budget = new PartBudget(3, PartBudget.S3_MAX_PARTS, Duration.ofSeconds(20));
    S3StorageDriver driver = driver(budget);
    try {
      FileWriter closed = writer(driver, "closed");
      FileWriter committed = writer(driver, "committed");
      FileWriter cancelled = writer(driver, "cancelled");
      result(write(closed, 10));
      result(write(committed, 10));
      result(write(cancelled, 10));
      assertEquals(0, budget.available());

      on(closed::close);
      on(committed::commit);
      on(cancelled::cancel);
      assertEquals(3, budget.available());

      FileWriter failing = writer(driver, "failing");
      result(write(failing, 10));
      on(() -> driver.delete("uploads/failing"));
      result(OnContext.run(context, failing::close).otherwiseEmpty());
      assertEquals(3, budget.available());
    } finally {
      driver.close();
    }
  }

  @Test
  void aWriterGivesItsPartBackOnceThePartIsSent() {
    PartBudget budget = new PartBudget(2, PartBudget.S3_MAX_PARTS, Duration.ofSeconds(20));
    S3StorageDriver driver = driver(budget);
    try {
      FileWriter writer = writer(driver, "a");
      result(write(writer, (int) (5 * MIB)));
      assertEquals(2, budget.available());
      result(write(writer, 1));
      assertEquals(1, budget.available());
      on(writer::commit);
      assertEquals(2, budget.available());
    } finally {
      driver.close();
    }
  }

  @Test
  void anUploadNeedingMorePartsThanS3TakesIsRefusedAsTheClientsError() {
    PartBudget budget = new PartBudget(2, 2, Duration.ofSeconds(20));
    S3StorageDriver driver = driver(budget);
    try {
      FileWriter writer = writer(driver, "a");
      result(write(writer, (int) (5 * MIB)));
      result(write(writer, (int) (5 * MIB)));

      RegistryException refused = failsWith(ErrorCode.BLOB_UPLOAD_INVALID, write(writer, 1));

      assertTrue(refused.getMessage().contains("at most 2 parts"), refused.getMessage());
      OnContext.run(context, writer::cancel);
      assertEquals(2, budget.available());
    } finally {
      driver.close();
    }
  }

  @Test
  void theProcessBudgetIsAQuarterOfTheHeapInPartsAndAtLeastTwo() {
    assertEquals(6, PartBudget.partsForHeap(256 * MIB, 10 * MIB));
    assertEquals(2, PartBudget.partsForHeap(16 * MIB, 10 * MIB));
    assertEquals(PartBudget.partsForHeap(Runtime.getRuntime().maxMemory(), 10 * MIB),
        PartBudget.forHeap(10 * MIB).parts());
    assertEquals(10_000, PartBudget.forHeap(10 * MIB).maxPartsPerUpload());
  }
}
