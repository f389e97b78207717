package io.berth.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.TestClusters;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob service alone: {@code BlobMain --cluster config.yml} in its own JVM, a member of the test's cluster. */
class BlobMainIT {
  private static final Pattern EVENT_BUS = Pattern.compile("joined cluster \\[.*, event bus: 127\\.0\\.0\\.1:(\\d+),");

  @TempDir
  Path directory;

  @Test
  void mainJoinsTheClusterAnswersOverTheClusteredBusAndLeavesWithStatusZeroOnSigterm() throws Exception {
    String name = TestClusters.newName();
    int ours = FreePorts.onLoopback();
    int its = FreePorts.onLoopback();
    List<String> members = List.of("127.0.0.1:" + ours, "127.0.0.1:" + its);
    Path config = Files.writeString(directory.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + directory.resolve("storage"),
        "cluster:",
        "  name: " + name,
        "  port: " + its,
        "  members: [" + String.join(", ", members) + "]",
        ""));
    ChildProcess process = ChildProcess.java(BlobMain.class, "--cluster", config.toString()).start();
    Vertx vertx = TestClusters.member(name, ours, List.of(ours, its)).await(60, TimeUnit.SECONDS);
    try {
      process.awaitLine(line -> line.contains("started [services: blob, event bus: clustered, cluster " + name + "]"));

      JsonObject health = vertx.eventBus().<JsonObject>request(Addresses.HEALTH, new JsonObject())
          .await(10, TimeUnit.SECONDS).body();

      assertEquals(new JsonObject(), health);
      assertTrue(process.stop(), "BlobMain stops on SIGTERM");
      assertEquals(0, process.awaitExit(), process.log());
      assertTrue(process.log().contains("stopped"), process.log());
    } finally {
      process.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
