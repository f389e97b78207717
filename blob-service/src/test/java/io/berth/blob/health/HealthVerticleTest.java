package io.berth.blob.health;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.HealthStatus;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Eventually;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The storage check on real files, asked over a real local event bus as the gateway asks it. */
@ExtendWith(VertxExtension.class)
class HealthVerticleTest {
  private static Vertx vertx;

  @TempDir
  Path dir;

  private final Metrics metrics = Metrics.prometheus();
  private String deployment;

  @BeforeAll
  static void useVertx(Vertx shared) {
    vertx = shared;
  }

  private Path deploy(Map<String, String> settings) throws IOException {
    Path root = Files.createDirectory(dir.resolve("root"));
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    RegistryConfig config = result(ConfigLoader.load(vertx, null, environment));
    deployment = result(vertx.deployVerticle(new HealthVerticle(config, metrics)));
    return root;
  }

  /** Each test's checker alone answers the address: the Vert.x is shared by the class. */
  @AfterEach
  void undeploy() {
    result(vertx.undeploy(deployment));
  }

  private static Future<HealthStatus> status() {
    return new BusClient(vertx.eventBus(), 2_000).request(Addresses.HEALTH, new JsonObject())
        .map(HealthStatus::fromJson);
  }

  private double checks(String outcome) {
    Counter counter = metrics.registry().find("berth.health.checks")
        .tags("check", "storagedriver_filesystem", "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  /** What an operator's mistake or a lost mount looks like: the root directory is a plain file. */
  private static void replaceWithFile(Path root) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (Stream<Path> tree = Files.walk(root)) {
        tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      } catch (NoSuchFileException | UncheckedIOException changing) {
        // the probe's file came or went during the walk
      }
      try {
        Files.writeString(root, "not a directory");
        return;
      } catch (FileSystemException directory) {
        // The probe, writing its file as distribution does (parents created), made the root again meanwhile.
        if (attempt == 100) {
          throw directory;
        }
      }
    }
  }

  @Test
  void healthyStorageAnswersAnEmptyStatusAndLeavesItsProbeFileBesideTheLayout() throws IOException {
    Path root = deploy(Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms"));

    HealthStatus status = Eventually.await(vertx, HealthVerticleTest::status, answer -> checks("pass") >= 1);

    assertTrue(status.healthy(), status::toString);
    assertEquals(new JsonObject(), status.toJson());
    assertTrue(Files.isRegularFile(root.resolve(StorageProbe.PROBE_FILE)));
  }

  @Test
  void brokenStorageIsReportedOnlyAfterThresholdFailedProbesThenClearsWhenItHeals() throws IOException {
    Path root = deploy(Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms",
        "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "3"));
    Eventually.await(vertx, HealthVerticleTest::status, answer -> checks("pass") >= 1);

    replaceWithFile(root);
    HealthStatus failing = Eventually.await(vertx, HealthVerticleTest::status, answer -> !answer.healthy());

    assertTrue(checks("fail") >= 3, "reported after " + checks("fail") + " failed probes");
    String error = failing.failures().get("storagedriver_filesystem");
    assertTrue(error != null && error.contains(root.toString()), failing::toString);
    assertEquals(1, failing.failures().size(), failing::toString);

    Files.delete(root);
    Files.createDirectory(root);
    HealthStatus healed = Eventually.await(vertx, HealthVerticleTest::status, HealthStatus::healthy);
    assertTrue(healed.failures().isEmpty());
  }

  @Test
  void whileFailuresStayBelowTheThresholdTheStatusStaysHealthy() throws IOException {
    Path root = deploy(Map.of("REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms",
        "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "1000"));
    replaceWithFile(root);

    HealthStatus status = Eventually.await(vertx, HealthVerticleTest::status, answer -> checks("fail") >= 3);

    assertTrue(status.healthy(), status::toString);
  }

  @Test
  void aDisabledCheckNeverProbesAndAnswersHealthy() throws IOException {
    Path root = deploy(Map.of("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "false"));
    replaceWithFile(root);

    HealthStatus status = result(status());

    assertTrue(status.healthy(), status::toString);
    assertEquals(0, checks("pass") + checks("fail"));
    assertFalse(Files.isDirectory(root));
  }
}
