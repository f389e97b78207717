package io.berth.common.storage;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.metrics.Metrics;
import io.berth.common.testing.OnContext;
import io.berth.common.testing.OpenFiles;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metered decorator is a driver like any other (the contract suite), and times each action by outcome. */
class MeteredStorageDriverTest extends StorageDriverContract {
  @TempDir
  Path dir;

  private Metrics metrics;
  private Vertx vertx;
  private Path root;

  @Override
  protected StorageDriver newDriver(Vertx vertx) throws IOException {
    this.vertx = vertx;
    metrics = Metrics.prometheus();
    root = Files.createDirectory(dir.resolve("root"));
    return new MeteredStorageDriver(new FileSystemStorageDriver(vertx, root), metrics, "filesystem");
  }

  @Override
  protected long openHandles() {
    return OpenFiles.under(root).size();
  }

  private Timer timer(String action, String outcome) {
    return metrics.registry().find("berth.storage.action")
        .tags("driver", "filesystem", "action", action, "outcome", outcome).timer();
  }

  @Test
  void eachActionIsTimedUnderItsName() {
    write("a/link", "sha256:1");
    result(driver.read("a/link"));
    result(driver.stat("a/link"));
    result(driver.list("a"));
    result(driver.move("a/link", "b/link"));
    result(driver.delete("b"));

    for (String action : new String[] {"write", "read", "stat", "list", "move", "delete"}) {
      Timer timer = timer(action, "success");
      assertEquals(1, timer.count(), action);
      assertTrue(timer.totalTime(TimeUnit.NANOSECONDS) > 0, action);
    }
  }

  @Test
  void distributionsActionsAreAlsoTimedUnderDistributionsNamesWhateverTheOutcome() {
    write("a/link", "sha256:1");
    result(driver.read("a/link"));
    failure(driver.read("absent"));
    result(driver.stat("a/link"));
    result(driver.list("a"));
    result(driver.move("a/link", "b/link"));
    result(driver.delete("b"));
    failure(driver.touch("absent"));

    for (String[] action : new String[][] {{"PutContent", "1"}, {"GetContent", "2"}, {"Stat", "1"}, {"List", "1"},
        {"Move", "1"}, {"Delete", "1"}}) {
      Timer timer = metrics.registry().find("registry.storage.action")
          .tags("driver", "filesystem", "action", action[0]).timer();
      assertEquals(Long.parseLong(action[1]), timer == null ? 0 : timer.count(), action[0]);
    }
    assertEquals(6, metrics.registry().find("registry.storage.action").timers().size(),
        "distribution times no touch, reader or writer");
  }

  @Test
  void aMissingPathIsCountedAsNotFoundAndStillFailsAsBefore() {
    assertInstanceOf(PathNotFoundException.class, failure(driver.stat("absent")));
    assertInstanceOf(PathNotFoundException.class, failure(driver.read("absent")));

    assertEquals(1, timer("stat", "not_found").count());
    assertEquals(1, timer("read", "not_found").count());
    assertNull(timer("stat", "success"));
  }

  @Test
  void anyOtherFailureIsCountedAsError() {
    write("file", "x");

    failure(driver.write("file/below", Buffer.buffer("y")));

    assertEquals(1, timer("write", "error").count());
  }

  @Test
  void openingAStreamIsTimedNotTheTransfer() {
    write("blob", "0123456789");

    result(OnContext.run(vertx, () -> driver.reader("blob", 0, 10)
        .compose(reader -> driver.writer("copy", false).compose(writer -> reader.collect(
            Collector.of(Buffer::buffer, Buffer::appendBuffer, Buffer::appendBuffer))
            .compose(writer::write).compose(v -> writer.commit())))));

    assertEquals(1, timer("reader", "success").count());
    assertEquals(1, timer("writer", "success").count());
  }
}
