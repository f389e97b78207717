package io.berth.blob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.boot.ProcessVertx;
import io.berth.common.bus.Addresses;
import io.berth.common.config.ClusterConfig;
import io.berth.common.config.ClusterConfig.Instances;
import io.berth.common.config.ClusterConfig.Kubernetes;
import io.berth.common.config.ClusterConfig.Service;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.MainProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The blob service alone: {@code BlobMain --cluster config.yml} in its own JVM, a member of the test's cluster. */
class BlobMainTest {
  private static final Pattern EVENT_BUS = Pattern.compile("joined cluster \\[.*, event bus: 127\\.0\\.0\\.1:(\\d+),");

  @TempDir
  Path directory;

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void mainJoinsTheClusterAnswersOverTheClusteredBusAndLeavesWithStatusZeroOnSigterm() throws Exception {
    String name = "blob-main-" + UUID.randomUUID();
    int ours = freePort();
    int its = freePort();
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
    MainProcess process = MainProcess.start(BlobMain.class, EVENT_BUS, "--cluster", config.toString());
    Future<Vertx> joining = ProcessVertx.create(new ClusterConfig(true, Set.of(Service.GATEWAY), name, "127.0.0.1",
        ours, 0, members, new Kubernetes(false, null), null, new Instances(1, 1, 1)), Metrics.disabled());
    Vertx vertx = joining.await(60, TimeUnit.SECONDS);
    try {
      process.awaitLine(line -> line.contains("started [services: blob, event bus: clustered, cluster " + name + "]"));

      JsonObject health = vertx.eventBus().<JsonObject>request(Addresses.HEALTH, new JsonObject())
          .await(10, TimeUnit.SECONDS).body();

      assertEquals(new JsonObject(), health);
      assertTrue(process.stop(), "BlobMain stops on SIGTERM");
      assertEquals(0, process.awaitExit(), process.output());
      assertTrue(process.output().contains("stopped"), process.output());
    } finally {
      process.close();
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
