package io.berth.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code ManifestMain} refuses to start: status 2 for a bad command line, 1 and one log line for the rest. */
class ManifestMainIT {

  @TempDir
  Path directory;

  /** The output of a start that ended with {@code status}. */
  private String failedStart(int status, String... args) throws Exception {
    ChildProcess process = ChildProcess.java(ManifestMain.class, args).start();
    try {
      assertEquals(status, process.awaitExit(), process.log());
      return process.log();
    } finally {
      process.close();
    }
  }

  private Path config(String... lines) throws Exception {
    return Files.writeString(directory.resolve("config.yml"), "version: 0.1\n" + String.join("\n", lines) + "\n");
  }

  @Test
  void aModuleMainRefusesTheServicesFlagWithItsUsage() throws Exception {
    String output = failedStart(2, "--services", "manifest");

    assertTrue(output.contains("unknown option --services; usage: manifest-service [--cluster] [config.yml]"),
        output);
  }

  @Test
  void aBadClusterKeyIsAConfigurationErrorNamingTheKey() throws Exception {
    String output = failedStart(1, "--cluster", config("cluster:", "  members: [127.0.0.1]").toString());

    assertTrue(output.contains("configuration error, not starting: cluster.members: expected host:port, got "
        + "\"127.0.0.1\""), output);
  }

  @Test
  void aBusyClusterPortStopsTheStartWithOneLineNamingTheKey() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String name = "manifest-main-" + UUID.randomUUID();
      String output = failedStart(1, "--cluster", config(
          "storage:",
          "  filesystem:",
          "    rootdirectory: " + directory.resolve("storage"),
          "cluster:",
          "  name: " + name,
          "  port: " + busy.getLocalPort()).toString());

      assertTrue(output.contains("configuration error, not starting: cluster.port: 127.0.0.1:" + busy.getLocalPort()
          + " is in use"), output);
    }
  }
}
