package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.FreePorts;
import io.berth.common.testing.Unwritable;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's commands with the packaged launcher, run on this host as the container runs them: its entrypoint
 * ({@code deploy/image/entrypoint.sh}) and its {@code registry} command ({@code deploy/image/registry}), on a PATH
 * where {@code registry} is that script and {@code java} this JDK's.
 */
class ImageCommandsIT {
  private static final Path ENTRYPOINT = Path.of("../deploy/image/entrypoint.sh").toAbsolutePath().normalize();
  private static final Path REGISTRY = Path.of("../deploy/image/registry").toAbsolutePath().normalize();
  /** The uid of nobody, which setpriv gives the child when the tests run as root. */
  private static final int NOBODY = 65534;

  @TempDir
  Path temp;
  private Path work;
  private Map<String, String> environment;

  /** A directory every user may use (the unprivileged child included), with the PATH and jar the image has. */
  @BeforeEach
  void prepare() throws Exception {
    String jar = System.getProperty("berth.jar");
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the packaged launcher is missing: " + jar);
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    work = Files.createDirectory(temp.resolve("work"));
    Path bin = Files.createDirectory(work.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("registry"), REGISTRY);
    Path tmp = Files.createDirectory(work.resolve("tmp"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    environment = Map.of(
        "PATH", bin + File.pathSeparator + Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
            + System.getenv("PATH"),
        "BERTH_JAR", jar,
        "TMPDIR", tmp.toString());
  }

  private Path config(Path root, int port) throws Exception {
    return Files.writeString(work.resolve("config.yml"), String.join("\n",
        "version: 0.1",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + root,
        "http:",
        "  addr: 127.0.0.1:" + port,
        "  draintimeout: 1s",
        ""));
  }

  private static List<String> command(Path script, String... arguments) {
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(List.of(arguments));
    return command;
  }

  @Test
  void garbageCollectRunsThroughTheEntrypointAndAsDockerExecRunsIt() throws Exception {
    Path root = work.resolve("storage");
    Files.createDirectories(root.resolve("docker/registry/v2/blobs/sha256/ab/" + "ab".repeat(32)))
        .resolve("data").toFile().createNewFile();
    String config = config(root, 0).toString();

    ChildProcess.Result entrypoint = ChildProcess.command(command(ENTRYPOINT, "garbage-collect",
        "--dry-run", config)).environment(environment).run(Duration.ofMinutes(1)).requireSuccess();
    ChildProcess.Result exec = ChildProcess.command(command(REGISTRY, "garbage-collect", "--dry-run",
        config)).environment(environment).run(Duration.ofMinutes(1)).requireSuccess();

    for (ChildProcess.Result result : List.of(entrypoint, exec)) {
      assertTrue(result.stdout().contains("blob eligible for deletion: sha256:" + "ab".repeat(32)), result.stdout());
    }
  }

  @Test
  void aConfigFileAsTheOnlyArgumentServesItAndTheHealthCheckPasses() throws Exception {
    int port = FreePorts.onLoopback();
    Path config = config(work.resolve("storage"), port);
    try (ChildProcess registry = ChildProcess.command(command(ENTRYPOINT, config.toString())).environment(environment)
        .start()) {
      registry.awaitLine(line -> line.contains("Berth listening [addr: 127.0.0.1:" + port), Duration.ofSeconds(60));
      Map<String, String> withAddr = new java.util.HashMap<>(environment);
      withAddr.put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);

      ChildProcess.Result healthy = ChildProcess.command(command(ENTRYPOINT, "healthcheck")).environment(withAddr)
          .run(Duration.ofSeconds(30));

      assertEquals(0, healthy.exitCode(), healthy.stderr());
      assertEquals(0, registry.terminate(Duration.ofSeconds(30)), registry.log());
    }
  }

  /**
   * A registry:2 data directory belongs to root; a registry run as another user (docker run --user 10001) must say
   * so at once. The tests run as root here, whom no permission bit stops: the child runs as nobody (setpriv), as the
   * image's non-root user would.
   */
  @Test
  void serveAsAnotherUserThanTheStorageRootsOwnerRefusesToStartSayingWhatToDo() throws Exception {
    Path root = Files.createDirectory(work.resolve("storage"));
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path config = config(root, FreePorts.onLoopback());
    List<String> serve = command(ENTRYPOINT, config.toString());
    ChildProcess.Result refused;
    String user;
    if (Unwritable.isRoot()) {
      List<String> asNobody = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
          "--clear-groups"));
      asNobody.addAll(serve);
      refused = ChildProcess.command(asNobody).environment(environment).run(Duration.ofMinutes(1));
      user = "uid " + NOBODY;
    } else {
      try (Unwritable ignored = Unwritable.make(root)) {
        refused = ChildProcess.command(serve).environment(environment).run(Duration.ofMinutes(1));
      }
      user = "uid ";
    }

    String output = refused.stdout() + refused.stderr();
    assertEquals(1, refused.exitCode(), output);
    assertTrue(output.contains("registry serve failed to start: storage root " + root + " is not writable by " + user),
        output);
    assertTrue(output.contains("chown -R") && output.contains("--user 0"), output);
  }
}
