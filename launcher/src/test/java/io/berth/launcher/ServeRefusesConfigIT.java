package io.berth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code registry serve} with the typos users make in the articles' configurations: it stops with status 1 and the
 * key named, before it listens or writes a byte, where it used to warn and store images under {@code ./data}.
 */
class ServeRefusesConfigIT {

  @TempDir
  Path dir;

  private String refusedStart(Map<String, String> environment, String yaml) throws Exception {
    // Were the configuration taken, the registry would listen on loopback only.
    Path config = Files.writeString(dir.resolve("config.yml"), "version: 0.1\nhttp:\n  addr: 127.0.0.1:0\n" + yaml);
    ChildProcess process = ChildProcess.java(BerthMain.class, "serve", config.toString()).environment(environment)
        .start();
    try {
      assertEquals(1, process.awaitExit(), process.log());
      assertFalse(process.log().contains("Berth listening"), process.log());
      return process.log();
    } finally {
      process.close();
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "storage.filesytem: unknown storage driver | 'storage:\n  filesytem:\n    rootdirectory: STORAGE\n'",
      "storage.rados: unknown storage driver     | 'storage:\n  rados:\n    poolname: radospool\n'",
      "proxy.remoteurl: Berth cannot be a pull-through cache | 'storage:\n  filesystem:\n    rootdirectory: STORAGE\nproxy:\n  remoteurl: https://registry-1.docker.io\n'",
      "auth.silly: authentication provider not supported | 'storage:\n  filesystem:\n    rootdirectory: STORAGE\nauth:\n  silly:\n    realm: r\n    service: s\n'"})
  void aConfigWithATypoOrAnUnsupportedSectionStopsServeNamingTheKey(String expected, String yaml) throws Exception {
    String output = refusedStart(Map.of(), yaml.replace("STORAGE", dir.resolve("storage").toString()));

    assertTrue(output.contains("configuration error, not starting: " + expected), output);
    assertFalse(Files.exists(dir.resolve("storage")), "nothing is written before the configuration is good");
  }

  @Test
  void aSecondDriverFromTheEnvironmentStopsServe() throws Exception {
    String output = refusedStart(Map.of("REGISTRY_STORAGE_S3_BUCKET", "images"),
        "storage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage") + "\n");

    assertTrue(output.contains("configuration error, not starting: storage: multiple storage drivers specified in "
        + "configuration or environment: filesystem, s3"), output);
  }
}
