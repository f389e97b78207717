package io.berth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.oci.Digest;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.TestBytes;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of {@code registry garbage-collect}: its arguments, exit statuses, report and progress. */
class GarbageCollectCommandTest {
  @TempDir
  Path root;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

  private int run(boolean onTerminal, String... args) {
    return GarbageCollectCommand.run(args, Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        onTerminal ? new PrintStream(terminal, true, StandardCharsets.UTF_8) : null, log -> { });
  }

  private String report() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private Digest store(String content, String link) throws IOException {
    Buffer bytes = Buffer.buffer(content);
    Digest digest = TestBytes.sha256(bytes);
    Path data = root.resolve(StorageLayout.blobData(digest));
    Files.createDirectories(data.getParent());
    Files.write(data, bytes.getBytes());
    if (link != null) {
      Path file = root.resolve(link.replace("DIGEST", digest.hex()));
      Files.createDirectories(file.getParent());
      Files.writeString(file, digest.toString());
    }
    return digest;
  }

  @Test
  void anUnknownFlagOrASecondConfigFileIsAUsageErrorAndDeletesNothing() throws IOException {
    Digest orphan = store("orphan", null);

    assertEquals(2, run(false, "--force"));
    assertEquals(2, run(false, "a.yml", "b.yml"));

    assertTrue(Files.exists(root.resolve(StorageLayout.blobData(orphan))));
    assertEquals("", report());
  }

  @Test
  void aMissingConfigFileFailsWithStatusOne() {
    assertEquals(1, run(false, root.resolve("absent.yml").toString()));
  }

  @Test
  void aManifestThatCannotBeReadStopsWithStatusOneAndDeletesNothing() throws IOException {
    store("not json", "docker/registry/v2/repositories/app/_manifests/revisions/sha256/DIGEST/link");
    Digest orphan = store("orphan", null);

    assertEquals(1, run(false));

    assertTrue(Files.exists(root.resolve(StorageLayout.blobData(orphan))));
  }

  @Test
  void theReportListsEachDeletionAsDistributionAndSumsUp() throws IOException {
    Digest orphan = store("orphan bytes", "docker/registry/v2/repositories/app/_layers/sha256/DIGEST/link");

    assertEquals(0, run(false));

    assertEquals(String.join("\n",
        "blob eligible for deletion: " + orphan,
        "app: layer link eligible for deletion: " + orphan,
        "",
        "0 blobs marked, 1 blobs and 0 manifests eligible for deletion",
        "freed 12 B: deleted 1 blobs, 0 manifests and 1 layer links",
        ""), report().replaceAll("1 repositories and 0 manifests in [0-9.]+ s\n$", ""));
    assertFalse(Files.exists(root.resolve(StorageLayout.blobData(orphan))));
    assertEquals("", terminal.toString(StandardCharsets.UTF_8));
  }

  @Test
  void onATerminalProgressIsOneLineRewrittenInPlaceAndErasedBeforeTheReport() throws IOException {
    store("orphan", "docker/registry/v2/repositories/app/_layers/sha256/DIGEST/link");

    assertEquals(0, run(true, "--dry-run"));

    String progress = terminal.toString(StandardCharsets.UTF_8);
    assertTrue(progress.startsWith("\r\033[Kmarking: 1 repositories, 0 manifests"), progress);
    assertTrue(progress.endsWith("\r\033[K"), progress);
    assertFalse(progress.contains("\n"), progress);
    assertFalse(report().contains("\033"), report());
    assertTrue(report().contains("dry run: would free 6 B (1 blobs) and delete 0 manifests and 1 layer links"),
        report());
  }

  @Test
  void sizesAreShownInBinaryUnits() {
    assertEquals("0 B", GarbageCollectCommand.bytes(0));
    assertEquals("1023 B", GarbageCollectCommand.bytes(1023));
    assertEquals("1.5 KiB", GarbageCollectCommand.bytes(1536));
    assertEquals("5.0 GiB", GarbageCollectCommand.bytes(5L << 30));
  }
}
