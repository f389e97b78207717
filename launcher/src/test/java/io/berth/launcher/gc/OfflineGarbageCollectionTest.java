package io.berth.launcher.gc;

import static io.berth.launcher.gc.GcCommand.BLOB;
import static io.berth.launcher.gc.GcCommand.MANIFEST;
import static io.berth.launcher.gc.GcCommand.matches;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.ChildProcess;
import io.berth.launcher.RunningRegistry;
import io.berth.launcher.gc.PushPullClient.Blob;
import io.berth.launcher.gc.PushPullClient.Image;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry garbage-collect} against CNCF distribution's own ({@code docker-registry garbage-collect}, Debian's
 * 2.8) on the same data directory and the same config file: the same blobs eligible for deletion, with and without
 * {@code --delete-untagged}. distribution 2.8 deletes the untagged children of a tagged index with that flag (and
 * their layers: fixed in distribution 3); that case is compared without the flag only, and Berth's keeping of them
 * is checked on its own.
 */
class OfflineGarbageCollectionTest {

  private static final Blob BASE = Blob.random(20_000, 1);
  private static final Image FIRST = Image.of(Blob.random(100, 2), BASE, Blob.random(20_001, 3));
  private static final Image SECOND = Image.of(Blob.random(101, 4), BASE, Blob.random(20_002, 5));
  private static final Image BY_DIGEST = Image.of(Blob.random(102, 6), Blob.random(20_003, 7));
  private static final Image DELETED = Image.of(Blob.random(103, 8), BASE, Blob.random(20_004, 9));
  private static final Image IN_DELETED_REPOSITORY = Image.of(Blob.random(104, 10), BASE, Blob.random(20_005, 11));
  private static final Blob ORPHAN = Blob.random(20_006, 12);
  private static final Image AMD = Image.of(Blob.random(105, 13), Blob.random(20_007, 14));
  private static final Image ARM = Image.of(Blob.random(106, 15), Blob.random(20_008, 16));
  private static final Blob INDEX = PushPullClient.index(AMD, ARM);
  private static final Image SIGNATURE = Image.referrer(SECOND, Blob.of(Buffer.buffer("{}")));

  @TempDir
  Path temp;

  /**
   * What a registry's life leaves behind: a tag moved to another image (the first one untagged), an image pushed
   * by digest only, a deleted manifest, a deleted repository, a blob uploaded but never used; with
   * {@code indexAndReferrer} also an index whose children are untagged and a signature of the tagged image.
   */
  private Path dataDirectory(String name, boolean indexAndReferrer) throws Exception {
    Path root = temp.resolve(name);
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      client.push("app", "v1", FIRST);
      client.push("app", "v2", SECOND);
      client.push("app", "v1", SECOND);
      client.push("app", BY_DIGEST.manifest().digest().toString(), BY_DIGEST);
      client.push("app", "v3", DELETED);
      client.deleteManifest("app", DELETED.manifest().digest());
      client.push("gone", "v1", IN_DELETED_REPOSITORY);
      client.deleteRepository("gone");
      client.pushBlob("app", ORPHAN);
      if (indexAndReferrer) {
        client.push("multi", AMD.manifest().digest().toString(), AMD);
        client.push("multi", ARM.manifest().digest().toString(), ARM);
        client.pushManifest("multi", "v1", INDEX, PushPullClient.OCI_INDEX);
        client.push("app", SIGNATURE.manifest().digest().toString(), SIGNATURE);
      }
    }
    return root;
  }

  /** distribution's config file, which both commands read. */
  private Path config(Path root) throws IOException {
    return Files.writeString(temp.resolve(root.getFileName() + ".yml"), String.join("\n",
        "version: 0.1",
        "log:",
        "  level: warn",
        "storage:",
        "  filesystem:",
        "    rootdirectory: " + root.toAbsolutePath(),
        "  delete:",
        "    enabled: true",
        "http:",
        "  addr: 127.0.0.1:0",
        ""));
  }

  private String distribution(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker-registry", "garbage-collect"));
    command.addAll(List.of(args));
    ChildProcess.Result result = ChildProcess.command(command).run(Duration.ofMinutes(2));
    assertEquals(0, result.exitCode(), result::output);
    return result.stdout();
  }

  private static Set<String> digests(Blob... blobs) {
    Set<String> set = new TreeSet<>();
    for (Blob blob : blobs) {
      set.add(blob.digest().toString());
    }
    return set;
  }

  private static Set<String> digests(Image... images) {
    Set<String> set = new TreeSet<>();
    for (Image image : images) {
      set.add(image.manifest().digest().toString());
      image.blobs().stream().filter(blob -> blob != BASE).forEach(blob -> set.add(blob.digest().toString()));
    }
    return set;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> union = new TreeSet<>(a);
    union.addAll(b);
    return union;
  }

  private static Map<String, Long> files(Path root) throws IOException {
    Map<String, Long> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(file).toString(), Files.getLastModifiedTime(file).toMillis());
      }
    }
    return files;
  }

  @Test
  void aDryRunListsTheBlobsDistributionLists() throws Exception {
    Path root = dataDirectory("with-index", true);
    Path config = config(root);
    Map<String, Long> before = files(root);

    String theirs = distribution("--dry-run", config.toString());
    String ours = GcCommand.run(Map.of(), "--dry-run", config.toString());

    Set<String> expected = union(digests(DELETED, IN_DELETED_REPOSITORY), digests(ORPHAN));
    assertEquals(expected, matches(BLOB, theirs), theirs);
    assertEquals(matches(BLOB, theirs), matches(BLOB, ours), ours);
    assertTrue(ours.contains("\n" + new StoredBlobs(root).referenced().size() + " blobs marked, " + expected.size()
        + " blobs and 0 manifests eligible for deletion\n"), ours);
    assertEquals(before, files(root));
  }

  @Test
  void withDeleteUntaggedTheDryRunListsTheBlobsAndManifestsDistributionLists() throws Exception {
    Path config = config(dataDirectory("without-index", false));

    String theirs = distribution("--dry-run", "--delete-untagged", config.toString());
    String ours = GcCommand.run(Map.of(), "-d", "-m", config.toString());

    Set<String> expected = union(union(digests(DELETED, IN_DELETED_REPOSITORY), digests(ORPHAN)),
        digests(FIRST, BY_DIGEST));
    assertEquals(expected, matches(BLOB, theirs), theirs);
    assertEquals(matches(BLOB, theirs), matches(BLOB, ours), ours);
    assertEquals(digests(FIRST.manifest(), BY_DIGEST.manifest()), matches(MANIFEST, theirs), theirs);
    assertEquals(matches(MANIFEST, theirs), matches(MANIFEST, ours), ours);
  }

  @Test
  void afterARealRunDistributionFindsNothingLeftAndBothRegistriesServeWhatIsTagged() throws Exception {
    Path root = dataDirectory("collected", false);
    Path config = config(root);

    String ours = GcCommand.run(Map.of(), "--delete-untagged", config.toString());

    assertTrue(ours.contains("freed "), ours);
    String theirs = distribution("--dry-run", "--delete-untagged", config.toString());
    assertEquals(Set.of(), matches(BLOB, theirs), theirs);
    assertEquals(Set.of(), matches(MANIFEST, theirs), theirs);
    assertEquals(Set.of(), new StoredBlobs(root).unreferenced());
    assertEquals(Set.of(), new StoredBlobs(root).missing());
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      assertEquals(SECOND.manifest().digest(), client.pull("app", "v1"));
      assertEquals(SECOND.manifest().digest(), client.pull("app", "v2"));
      assertEquals(List.of("app"), client.catalog());
      assertEquals(404, client.send("GET", "/v2/app/manifests/" + FIRST.manifest().digest(), null).statusCode());
      assertEquals(404, client.send("HEAD", "/v2/app/blobs/" + ORPHAN.digest(), null).statusCode());
    }
  }

  @Test
  void withDeleteUntaggedTheChildrenOfATaggedIndexAndTheSignatureOfATaggedImageStay() throws Exception {
    Path root = dataDirectory("index-children", true);

    String ours = GcCommand.run(Map.of(), "--delete-untagged", config(root).toString());

    Set<String> deleted = matches(BLOB, ours);
    for (String kept : union(union(digests(AMD, ARM), digests(INDEX)), digests(SIGNATURE, SECOND))) {
      assertTrue(!deleted.contains(kept), kept + " was deleted:\n" + ours);
    }
    assertEquals(digests(FIRST.manifest(), BY_DIGEST.manifest()), matches(MANIFEST, ours), ours);
    try (RunningRegistry registry = RunningRegistry.start(root, Map.of())) {
      PushPullClient client = new PushPullClient(registry.baseUrl());
      assertEquals(INDEX.digest(), client.pull("multi", "v1"));
      assertEquals(SIGNATURE.manifest().digest(), client.pull("app", SIGNATURE.manifest().digest().toString()));
    }
  }
}
