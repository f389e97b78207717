package io.berth.launcher.deploy;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.config.RegistryConfig;
import io.berth.common.testing.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image behaves as registry:2 does (its Dockerfile, {@code entrypoint.sh}, and {@code /bin/registry}): the same
 * ENTRYPOINT and CMD, root by default, the storage root taken from the config, a {@code registry} command that
 * {@code docker exec} can run. The scripts are the repository's own, run on this host with a {@code java} that prints
 * the command line it was given.
 */
class ImageTest {
  private static final String CONFIG = "/etc/docker/registry/config.yml";

  @TempDir
  static Path scratch;
  private static Vertx vertx;
  private static DeployFiles deploy;
  private static Dockerfile image;
  private static ImageScripts scripts;

  @BeforeAll
  static void readImage() {
    vertx = Vertx.vertx();
    deploy = new DeployFiles(scratch);
    image = deploy.image;
    scripts = deploy.scripts;
  }

  @AfterAll
  static void closeVertx() {
    vertx.close().await();
  }

  private static ImageScripts.Result run(List<String> command) {
    return scripts.run(command, Map.of(), scripts.bin());
  }

  @Test
  void entrypointAndCommandAreRegistry2s() {
    assertEquals(List.of("/entrypoint.sh"), image.entrypoint());
    assertEquals(List.of(CONFIG), image.cmd());
    assertEquals("/", image.workdir(image.finalStage()));
    assertTrue(image.all("RUN").stream().anyMatch(run -> run.stage() == image.finalStage()
        && run.arguments().contains("ln -s " + ImageScripts.REGISTRY + " /bin/registry")),
        "registry:2's command is /bin/registry: guides run bin/registry from /");
  }

  @Test
  void theImageRunsAsRootAndKeepsANumericUserForTheNonRootOption() {
    List<Dockerfile.Instruction> users = image.all("USER").stream()
        .filter(user -> user.stage() == image.finalStage()).toList();
    assertTrue(users.isEmpty() || List.of("0", "root", "0:0", "root:root").contains(users.get(users.size() - 1)
        .arguments()), "registry:2 runs as root, so a root-owned data directory takes pushes: " + users);
    assertTrue(image.all("RUN").stream().anyMatch(run -> run.arguments().contains("--uid 10001")),
        "docker run --user 10001:10001 and Kubernetes' runAsUser name the berth user");
  }

  @Test
  void theStorageRootComesFromTheConfigWhichTheVolumeHolds() throws Exception {
    assertFalse(image.environment().containsKey("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY"),
        "an ENV would override the rootdirectory of a mounted config.yml");
    Path config = scripts.repositoryFile(CONFIG);
    RegistryConfig parsed = EffectiveConfig.load(vertx, config, image.environment()).parsed();
    String volume = image.last("VOLUME").arguments().replaceAll("[\\[\\]\"]", "").trim();

    assertEquals(Path.of(volume), parsed.storage().rootDirectory());
  }

  @Test
  void theHealthCheckIsTheRegistryCommandsOwn() {
    Dockerfile.Instruction healthcheck = image.last("HEALTHCHECK");
    String command = healthcheck.arguments().substring(healthcheck.arguments().indexOf("CMD") + 3).trim();

    assertEquals("[\"registry\", \"healthcheck\"]", command);
    assertTrue(healthcheck.arguments().contains("--start-period="), healthcheck.arguments());
  }

  @Test
  void withoutArgumentsOrWithAConfigFileTheImageServesIt() {
    assertEquals(List.of("serve", CONFIG), run(null).launcherArguments());
    assertEquals(List.of("serve", "/srv/other.yaml"), run(List.of("/srv/other.yaml")).launcherArguments());
    assertEquals(List.of("serve", "/srv/from-env.yml"), scripts.run(List.of(), Map.of(
        "REGISTRY_CONFIGURATION_PATH", "/srv/from-env.yml"), scripts.bin()).launcherArguments());
    List<String> java = run(null).java();
    assertTrue(java.contains("-XX:MaxRAMPercentage=50") && java.contains("-XX:+ExitOnOutOfMemoryError"), java::toString);
  }

  /**
   * The image serves with the collector, starting heap and monitor deflation of `./registry serve` (docs/DESIGN.md
   * §3, "JVM flags").
   */
  @Test
  void imageAndLauncherServeWithTheSameCollectorAndStartingHeap() throws Exception {
    List<String> flags = List.of("-XX:+UseSerialGC", "-Xms16m", "-XX:NewRatio=1", "-XX:+UnlockDiagnosticVMOptions",
        "-XX:GuaranteedAsyncDeflationInterval=1000");
    List<String> java = run(null).java();
    assertTrue(java.containsAll(flags), java::toString);
    String launcherServe = Files.readAllLines(Repo.ROOT.resolve("registry")).stream()
        .filter(line -> line.contains("exec java") && line.contains("BERTH_JAVA_OPTS") && line.contains("-Xmx"))
        .findFirst().orElseThrow();
    assertTrue(flags.stream().allMatch(launcherServe::contains), launcherServe);
  }

  @Test
  void registryCommandsRunAsWithRegistry2() {
    assertEquals(List.of("garbage-collect", "--dry-run", CONFIG),
        run(List.of("garbage-collect", "--dry-run", CONFIG)).launcherArguments());
    assertEquals(List.of("serve", "--cluster", "--services", "blob", CONFIG),
        run(List.of("serve", "--cluster", "--services", "blob", CONFIG)).launcherArguments());
    assertEquals(List.of("check-config", CONFIG), run(List.of("check-config", CONFIG)).launcherArguments());
    // docker exec registry registry garbage-collect /etc/docker/registry/config.yml
    ImageScripts.Result exec = scripts.registry(List.of("garbage-collect", CONFIG), Map.of());
    assertEquals(List.of("garbage-collect", CONFIG), exec.launcherArguments());
    assertTrue(exec.java().contains("-XX:MaxRAMPercentage=25"), "beside a serving registry: " + exec.java());
  }

  @Test
  void otherCommandsRunAsGivenAsRegistry2sEntrypointRunsThem() throws Exception {
    ImageScripts.Result echo = run(List.of("echo", "hello"));
    assertEquals(List.of("hello"), echo.stdout());

    // docker run … registry:latest bin/registry garbage-collect … (WORKDIR /, where bin/registry exists)
    Path root = Files.createDirectories(scratch.resolve("container-root/bin"));
    Files.deleteIfExists(root.resolve("registry"));
    Files.createSymbolicLink(root.resolve("registry"), scripts.repositoryFile(ImageScripts.REGISTRY));
    ImageScripts.Result relative = scripts.run(List.of("bin/registry", "garbage-collect", CONFIG), Map.of(),
        root.getParent());
    assertEquals(List.of("garbage-collect", CONFIG), relative.launcherArguments());
  }

  @Test
  void anUnknownRegistryCommandIsAUsageError() {
    ImageScripts.Result unknown = scripts.registry(List.of("frobnicate"), Map.of());

    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.stderr().contains("registry garbage-collect [--dry-run]"), unknown.stderr());
  }

  @Test
  void theHealthCheckPassesOnReadyzAnswering200AndFailsOtherwise() {
    AtomicInteger status = new AtomicInteger(200);
    HttpServer server = result(vertx.createHttpServer().requestHandler(request -> request.response()
        .setStatusCode(request.path().equals("/readyz") ? status.get() : 404)
        .end(status.get() == 200 ? "{}" : "{\"storagedriver_filesystem\":\"disk gone\"}")).listen(0, "127.0.0.1"));
    Map<String, String> environment = Map.of("REGISTRY_HTTP_ADDR", "127.0.0.1:" + server.actualPort());

    assertEquals(0, scripts.run(List.of("healthcheck"), environment, scripts.bin()).exitCode());
    status.set(503);
    ImageScripts.Result unhealthy = scripts.run(List.of("healthcheck"), environment, scripts.bin());
    assertEquals(1, unhealthy.exitCode());
    assertTrue(unhealthy.stderr().contains("disk gone"), "the failing checks go to the health log: "
        + unhealthy.stderr());
    String url = "http://127.0.0.1:" + server.actualPort() + "/readyz";
    assertNotEquals(0, scripts.registry(List.of("healthcheck", url), Map.of()).exitCode());
    result(server.close());
    assertNotEquals(0, scripts.run(List.of("healthcheck"), Map.of("REGISTRY_HTTP_ADDR", ":" + FreePorts.onLoopback()),
        scripts.bin()).exitCode());
  }
}
