package io.berth.launcher.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar berth.jar garbage-collect …}, as {@code ./registry garbage-collect} runs it. */
class GarbageCollectProcessIT {
  private static final String ORPHAN = "sha256:" + "ab".repeat(32);

  @TempDir
  Path temp;

  private ChildProcess.Result run(String... args) throws Exception {
    String jar = System.getProperty("berth.jar");
    assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the packaged launcher is missing: " + jar);
    List<String> command = new ArrayList<>(List.of(
        ChildProcess.javaBinary(),
        "-Dvertx.cacheDirBase=" + temp.resolve("vertx-cache"), "-jar", jar, "garbage-collect"));
    command.addAll(List.of(args));
    return ChildProcess.command(command).run(Duration.ofMinutes(1));
  }

  @Test
  void aDryRunOfTheLauncherListsAnOrphanBlobAndKeepsIt() throws Exception {
    Path root = temp.resolve("storage");
    Path data = Files.createDirectories(root.resolve("docker/registry/v2/blobs/sha256/ab/" + "ab".repeat(32)))
        .resolve("data");
    Files.writeString(data, "orphan");
    Path config = Files.writeString(temp.resolve("config.yml"),
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + root + "\n");

    ChildProcess.Result result = run("--dry-run", config.toString()).requireSuccess();

    assertTrue(result.stdout().contains("blob eligible for deletion: " + ORPHAN + "\n"), result.stdout());
    assertTrue(result.stdout().contains("0 blobs marked, 1 blobs and 0 manifests eligible for deletion"),
        result.stdout());
    assertTrue(Files.exists(data));
  }

  @Test
  void anUnknownFlagExitsTwo() throws Exception {
    ChildProcess.Result result = run("--everything");

    assertEquals(2, result.exitCode(), result.stderr());
    assertTrue((result.stdout() + result.stderr()).contains("usage: registry garbage-collect"), result.stderr());
  }
}
