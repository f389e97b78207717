package io.berth.blob;

import static io.berth.common.testing.Await.failure;
import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.Addresses;
import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.HealthStatus;
import io.berth.common.config.ConfigLoader;
import io.berth.common.config.RegistryConfig;
import io.berth.common.metrics.Metrics;
import io.berth.common.testing.Eventually;
import io.berth.common.testing.Unwritable;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The blob service refuses to start on a storage it cannot write, with one line that names the path and the fix: a
 * registry:2 data directory is owned by root, and a push to it from another user would otherwise fail only at the
 * first push, with a bare 500. In read-only mode an unwritable storage is what one expects, and is accepted.
 */
class StorageRootCheckTest {
  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() {
    result(vertx.close());
  }

  private RegistryConfig config(Path root, Map<String, String> settings) {
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    return result(ConfigLoader.load(vertx, null, environment));
  }

  private String refusal(Path root) {
    return failure(BlobService.deploy(vertx, config(root, Map.of()), Metrics.disabled())).getMessage();
  }

  @Test
  void anUnwritableRootStopsTheStartNamingThePathTheUserAndTheFix() throws Exception {
    Path root = Files.createDirectory(dir.resolve("registry"));
    String message;
    try (Unwritable ignored = Unwritable.make(root)) {
      message = refusal(root);
    }

    assertTrue(message.startsWith("storage root " + root + " is not writable by uid "), message);
    assertTrue(message.contains(Unwritable.isRoot() ? "storage.maintenance.readonly.enabled" : "chown -R"), message);
    assertEquals(1, message.lines().count(), message);
  }

  @Test
  void anUnwritableLayoutDirectoryOfAnExistingDataDirectoryStopsTheStart() throws Exception {
    Path root = Files.createDirectory(dir.resolve("registry"));
    Path v2 = Files.createDirectories(root.resolve("docker/registry/v2"));
    String message;
    try (Unwritable ignored = Unwritable.make(v2)) {
      message = refusal(root);
    }

    assertTrue(message.startsWith("storage directory " + v2 + " is not writable by uid "), message);
  }

  @Test
  void aRootThatCannotBeCreatedStopsTheStart() throws Exception {
    Path parent = Files.createDirectory(dir.resolve("parent"));
    Path root = parent.resolve("registry");
    String message;
    try (Unwritable ignored = Unwritable.make(parent)) {
      message = refusal(root);
    }

    assertTrue(message.startsWith("storage root " + root + " cannot be created by uid "), message);
  }

  @Test
  void aRootThatIsAFileStopsTheStart() throws Exception {
    Path root = Files.writeString(dir.resolve("registry"), "not a directory");

    assertEquals("storage root " + root + " is not a directory", refusal(root));
  }

  @Test
  void aMissingRootIsCreatedAndLeftWithoutTheCheckFiles() throws Exception {
    Path root = dir.resolve("new/registry");

    result(BlobService.deploy(vertx, config(root, Map.of("REGISTRY_HEALTH_STORAGEDRIVER_ENABLED", "false")),
        Metrics.disabled()));

    assertTrue(Files.isDirectory(root));
    try (var entries = Files.list(root)) {
      assertEquals(0, entries.count());
    }
  }

  @Test
  void readOnlyModeServesAnUnwritableRootAndItsStorageCheckPasses() throws Exception {
    Path root = Files.createDirectory(dir.resolve("registry"));
    Files.createDirectories(root.resolve("docker/registry/v2"));
    Metrics metrics = Metrics.prometheus();
    try (Unwritable ignored = Unwritable.make(root)) {
      result(BlobService.deploy(vertx, config(root, Map.of(
          "REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true",
          "REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms",
          "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "1")), metrics));

      BusClient bus = new BusClient(vertx.eventBus(), 2_000);
      HealthStatus status = Eventually.await(vertx,
          () -> bus.request(Addresses.HEALTH, new JsonObject()).map(HealthStatus::fromJson),
          answer -> checks(metrics, "pass") >= 3);
      assertTrue(status.healthy(), status::toString);
      assertEquals(0, checks(metrics, "fail"));
    }
  }

  @Test
  void readOnlyModeServesAMissingRootAsAnEmptyRegistryAndCreatesNothing() {
    Path root = dir.resolve("registry");
    Metrics metrics = Metrics.prometheus();

    result(BlobService.deploy(vertx, config(root, Map.of(
        "REGISTRY_STORAGE_MAINTENANCE_READONLY_ENABLED", "true",
        "REGISTRY_HEALTH_STORAGEDRIVER_INTERVAL", "50ms",
        "REGISTRY_HEALTH_STORAGEDRIVER_THRESHOLD", "1")), metrics));

    BusClient bus = new BusClient(vertx.eventBus(), 2_000);
    HealthStatus status = Eventually.await(vertx,
        () -> bus.request(Addresses.HEALTH, new JsonObject()).map(HealthStatus::fromJson),
        answer -> checks(metrics, "pass") >= 2);
    assertTrue(status.healthy(), status::toString);
    assertTrue(Files.notExists(root));
  }

  private static double checks(Metrics metrics, String outcome) {
    var counter = metrics.registry().find("berth.health.checks")
        .tags("check", "storagedriver_filesystem", "outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }
}
