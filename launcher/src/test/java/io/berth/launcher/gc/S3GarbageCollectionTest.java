package io.berth.launcher.gc;

import static io.berth.launcher.gc.GcCommand.BLOB;
import static io.berth.launcher.gc.GcCommand.MANIFEST;
import static io.berth.launcher.gc.GcCommand.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Polling;
import io.berth.common.testing.S3Server;
import io.berth.common.testing.S3TestServer;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection on S3 decides as on a file system: the same history pushed through the registry onto a data
 * directory and onto a bucket leaves, after {@code registry garbage-collect --delete-untagged} on each, the same
 * files; and the online collector on S3 comes to that same verdict. The history has untagged manifests, an index, a
 * referrer, a layer shared between repositories, a deleted manifest and repository, an orphan blob and an upload in
 * progress, which no collection touches. What is left is read beside the registry (the directory itself, the S3
 * server's own listing), not through the driver the collector uses.
 */
class S3GarbageCollectionTest {
  private static final String PREFIX = "gc-root";
  /** Runs every second once the content is two seconds old; a loaded machine may take many seconds for one. */
  private static final Duration ONLINE_WAIT = Duration.ofSeconds(60);

  private static final Blob BASE = Blob.random(20_000, 1);
  private static final Image FIRST = Image.of(Blob.random(100, 2), BASE, Blob.random(20_001, 3));
  private static final Image SECOND = Image.of(Blob.random(101, 4), BASE, Blob.random(20_002, 5));
  private static final Image BY_DIGEST = Image.of(Blob.random(102, 6), Blob.random(20_003, 7));
  private static final Image DELETED = Image.of(Blob.random(103, 8), BASE, Blob.random(20_004, 9));
  private static final Image IN_DELETED_REPOSITORY = Image.of(Blob.random(104, 10), BASE, Blob.random(20_005, 11));
  private static final Image SHARING = Image.of(Blob.random(107, 17), BASE);
  private static final Blob ORPHAN = Blob.random(20_006, 12);
  private static final Image AMD = Image.of(Blob.random(105, 13), Blob.random(20_007, 14));
  private static final Image ARM = Image.of(Blob.random(106, 15), Blob.random(20_008, 16));
  private static final Blob INDEX = PushPullClient.index(AMD, ARM);
  private static final Image SIGNATURE = Image.referrer(SECOND, Blob.of(Buffer.buffer("{}")));

  @S3Server
  private static S3TestServer server;

  @TempDir
  Path temp;
  private String bucket;

  @BeforeEach
  void newBucket() {
    bucket = server.newBucket();
  }

  private Map<String, String> s3(Map<String, String> more) {
    Map<String, String> environment = server.registryEnvironment(bucket);
    environment.put("REGISTRY_STORAGE_S3_ROOTDIRECTORY", "/" + PREFIX);
    environment.put("REGISTRY_STORAGE_REDIRECT_DISABLE", "true");
    environment.put("REGISTRY_LOG_LEVEL", "warn");
    environment.putAll(more);
    return environment;
  }

  private static Map<String, String> filesystem(Path root) {
    return Map.of("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString(), "REGISTRY_LOG_LEVEL", "warn");
  }

  /**
   * What a registry's life leaves behind: a tag moved to another image (the first one untagged), an image pushed by
   * digest only, a deleted manifest, a deleted repository, a blob uploaded but never used, an index whose children
   * are untagged, a signature of a tagged image, a layer another repository uses too, and an upload in progress.
   */
  private static void history(RunningRegistry registry) throws Exception {
    PushPullClient client = new PushPullClient(registry.baseUrl());
    client.push("app", "v1", FIRST);
    client.push("app", "v2", SECOND);
    client.push("app", "v1", SECOND);
    client.push("app", BY_DIGEST.manifest().digest().toString(), BY_DIGEST);
    client.push("app", "v3", DELETED);
    client.deleteManifest("app", DELETED.manifest().digest());
    client.push("gone", "v1", IN_DELETED_REPOSITORY);
    client.deleteRepository("gone");
    client.push("other", "v1", SHARING);
    client.pushBlob("app", ORPHAN);
    client.push("multi", AMD.manifest().digest().toString(), AMD);
    client.push("multi", ARM.manifest().digest().toString(), ARM);
    client.pushManifest("multi", "v1", INDEX, PushPullClient.OCI_INDEX);
    client.push("app", SIGNATURE.manifest().digest().toString(), SIGNATURE);
    var started = client.send("POST", "/v2/other/blobs/uploads/", null);
    assertEquals(202, started.statusCode());
    String location = started.headers().firstValue("Location").orElseThrow();
    var patched = client.send("PATCH", location, Blob.random(1_000, 99).bytes().getBytes(),
        "Content-Type", "application/octet-stream");
    assertEquals(202, patched.statusCode(), new String(patched.body()));
  }

  /** Every file of the data directory, by path; {@code uploads} chooses those under {@code _uploads} or the others. */
  private static Set<String> files(Path root, boolean uploads) throws IOException {
    Set<String> files = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).map(file -> root.relativize(file).toString())
          .filter(path -> path.contains("/_uploads/") == uploads).forEach(files::add);
    }
    return files;
  }

  /**
   * The same of the bucket below the root directory, as the S3 server lists its objects (beside them, S3Proxy keeps
   * a stub object per multipart upload in progress, named by its id).
   */
  private Set<String> objects(boolean uploads) {
    Set<String> files = new TreeSet<>();
    ListContainerOptions options = ListContainerOptions.Builder.recursive();
    String marker = null;
    do {
      var page = server.store().list(bucket, marker == null ? options : options.afterMarker(marker));
      for (StorageMetadata object : page) {
        if (object.getType() == StorageType.BLOB && object.getName().startsWith(PREFIX + "/")
            && object.getName().contains("/_uploads/") == uploads) {
          files.add(object.getName().substring(PREFIX.length() + 1));
        }
      }
      marker = page.getNextMarker();
    } while (marker != null);
    return files;
  }

  /** The history on a data directory, collected offline with {@code --delete-untagged}: what it keeps. */
  private Path collectedDataDirectory() throws Exception {
    Path root = temp.resolve("filesystem");
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      history(registry);
    }
    GcCommand.run(filesystem(root), "--delete-untagged");
    return root;
  }

  @Test
  void offlineTheSameHistoryLeavesTheSameFilesOnS3AsOnAFileSystem() throws Exception {
    Path root = temp.resolve("filesystem");
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      history(registry);
    }
    try (RunningRegistry registry = RunningRegistry.startOnDriver(s3(Map.of()))) {
      history(registry);
    }
    Set<String> uploadsOnDisk = files(root, true);
    Set<String> uploadsInBucket = objects(true);

    String dryOnDisk = GcCommand.run(filesystem(root), "--dry-run", "--delete-untagged");
    String dryOnS3 = GcCommand.run(s3(Map.of()), "--dry-run", "--delete-untagged");
    String onDisk = GcCommand.run(filesystem(root), "--delete-untagged");
    String onS3 = GcCommand.run(s3(Map.of()), "--delete-untagged");

    assertEquals(Set.of(FIRST.manifest().digest().toString(), BY_DIGEST.manifest().digest().toString()),
        matches(MANIFEST, onDisk), onDisk);
    assertTrue(matches(BLOB, onDisk).contains(ORPHAN.digest().toString()), onDisk);
    assertFalse(matches(BLOB, onDisk).contains(BASE.digest().toString()), onDisk);
    assertEquals(matches(BLOB, dryOnDisk), matches(BLOB, dryOnS3), dryOnS3);
    assertEquals(matches(MANIFEST, dryOnDisk), matches(MANIFEST, dryOnS3), dryOnS3);
    assertEquals(matches(BLOB, onDisk), matches(BLOB, onS3), onS3);
    assertEquals(matches(MANIFEST, onDisk), matches(MANIFEST, onS3), onS3);
    assertEquals(files(root, false), objects(false));
    assertEquals(uploadsOnDisk, files(root, true));
    assertEquals(uploadsInBucket, objects(true));
    assertFalse(uploadsInBucket.isEmpty());
    try (RunningRegistry registry = RunningRegistry.startOnDriver(s3(Map.of()))) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      assertEquals(SECOND.manifest().digest(), client.pull("app", "v1"));
      assertEquals(INDEX.digest(), client.pull("multi", "v1"));
      assertEquals(SHARING.manifest().digest(), client.pull("other", "v1"));
      assertEquals(SIGNATURE.manifest().digest(), client.pull("app", SIGNATURE.manifest().digest().toString()));
      assertEquals(List.of("app", "multi", "other"), client.catalog());
    }
  }

  @Test
  void onlineOnS3TheCollectorComesToTheVerdictOfTheOfflineOneOnAFileSystem() throws Exception {
    Set<String> expected = files(collectedDataDirectory(), false);
    try (RunningRegistry registry = RunningRegistry.startOnDriver(s3(Map.of()))) {
      history(registry);
    }
    Set<String> uploads = objects(true);
    assertTrue(objects(false).containsAll(expected));
    assertFalse(objects(false).equals(expected));

    try (RunningRegistry registry = RunningRegistry.startOnDriver(s3(Map.of(
        "REGISTRY_STORAGE_GC_ENABLED", "true",
        "REGISTRY_STORAGE_GC_INTERVAL", "1s",
        "REGISTRY_STORAGE_GC_GRACEPERIOD", "2s",
        "REGISTRY_STORAGE_GC_DELETEUNTAGGED", "true")))) {
      assertEquals(expected, Polling.until(() -> objects(false), expected::equals, Duration.ofMillis(200),
          ONLINE_WAIT));
      assertEquals(uploads, objects(true));
      assertEquals(SECOND.manifest().digest(), new PushPullClient(registry.baseUrl()).pull("app", "v1"));
    }
  }
}
