package io.berth.blob.gc;

import static io.berth.common.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.message.GcResult;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mark and sweep on layouts written file by file: what goes, what stays, and what a run reports; the same on a file
 * system and on S3. The cases that set a file's time, or set files aside as a file system's claim does, run on the
 * file system only: S3 sets an object's time itself.
 */
class GarbageCollectorTest {
  private static final Duration GRACE = Duration.ofMinutes(10);
  private static Vertx vertx;

  @TempDir
  Path directory;

  private StorageDriver driver;
  private CraftedLayout layout;
  private final Set<String> eligibleBlobs = new TreeSet<>();
  private final Set<String> eligibleManifests = new TreeSet<>();
  private final Set<String> eligibleLinks = new TreeSet<>();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    result(vertx.close());
  }

  private void use(GcStorage storage) {
    driver = storage.open(vertx, directory);
    layout = new CraftedLayout(driver);
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  private GarbageCollector collector(GcOptions options, GcListener listener, boolean stop) {
    return new GarbageCollector(driver, vertx.getOrCreateContext(), options, new ManifestReader(), listener,
        () -> stop);
  }

  private GcResult collect(GcOptions options) throws IOException {
    GcListener recorder = new GcListener() {
      @Override
      public void manifestEligible(String repository, Digest digest) {
        eligibleManifests.add(repository + "@" + digest);
      }

      @Override
      public void blobEligible(Digest digest, long size) {
        eligibleBlobs.add(digest.toString());
      }

      @Override
      public void layerLinkEligible(String repository, Digest digest) {
        eligibleLinks.add(repository + "@" + digest);
      }
    };
    return collector(options, recorder, false).run();
  }

  private static GcOptions offline() {
    return GcOptions.offline(false, false);
  }

  private static GcOptions untagged() {
    return GcOptions.offline(false, true);
  }

  private void assertBlobs(boolean expected, Digest... digests) {
    for (Digest digest : digests) {
      assertEquals(expected, layout.blobExists(digest), digest + (expected ? " should stay" : " should be gone"));
    }
  }

  private static RepositoryName name(String repository) {
    return RepositoryName.parse(repository);
  }

  private static Set<String> strings(Digest... digests) {
    Set<String> set = new TreeSet<>();
    for (Digest digest : digests) {
      set.add(digest.toString());
    }
    return set;
  }

  /** Every file in the storage with its bytes and time, to show a run changed nothing. */
  private Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    result(driver.walk("", page -> {
      page.forEach(file -> files.put(file.path(), file.size() + "@" + file.modifiedMillis()));
      return Future.succeededFuture();
    }));
    files.replaceAll((path, time) -> layout.read(path) + "@" + time);
    return files;
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aTaggedImageKeepsItsManifestConfigAndLayersWhileAnUnreferencedBlobGoes(GcStorage storage) throws IOException {
    use(storage);
    Digest config = layout.blob(100);
    Digest layer = layout.blob(2000);
    Digest image = layout.image(config, layer);
    Digest orphan = layout.blob(1000);
    layout.linked("app", config, layer, orphan).tagged("app", "v1", image);

    GcResult result = collect(offline());

    assertBlobs(true, config, layer, image);
    assertBlobs(false, orphan);
    assertFalse(layout.exists(StorageLayout.blobDirectory(orphan)));
    assertFalse(layout.exists(StorageLayout.layerLinkDirectory(name("app"), orphan)));
    assertTrue(layout.exists(StorageLayout.layerLink(name("app"), layer)));
    assertEquals(strings(orphan), eligibleBlobs);
    assertEquals(Set.of("app@" + orphan), eligibleLinks);
    assertEquals(3, result.marked());
    assertEquals(1, result.blobsDeleted());
    assertEquals(1000, result.bytesFreed());
    assertEquals(1, result.layerLinksDeleted());
    assertEquals(1, result.repositories());
    assertEquals(1, result.manifests());
  }

  /** Content named by sha512 (blobs/sha512, revisions/sha512) is marked and swept as sha256 content is. */
  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void sha512ManifestsKeepTheirSha512BlobsWhileUnreferencedAndUntaggedSha512ContentGoes(GcStorage storage)
      throws IOException {
    use(storage);
    Digest config = layout.sha512Blob(100);
    Digest layer = layout.sha512Blob(2000);
    Digest image = layout.sha512Image(config, layer);
    Digest untaggedLayer = layout.sha512Blob(3000);
    Digest untagged = layout.sha512Image(config, untaggedLayer);
    Digest orphan = layout.sha512Blob(1000);
    Digest index = layout.index(image);
    layout.linked("app", config, layer, untaggedLayer, orphan).revision("app", image).revision("app", untagged)
        .tagged("app", "v1", index);

    collect(untagged());

    assertBlobs(true, config, layer, image, index);
    assertBlobs(false, orphan, untaggedLayer, untagged);
    assertEquals(strings(orphan, untaggedLayer, untagged), eligibleBlobs);
    assertEquals(Set.of("app@" + untagged), eligibleManifests);
    assertFalse(layout.exists(StorageLayout.revisionLink(name("app"), untagged)));
    assertTrue(layout.exists(StorageLayout.revisionLink(name("app"), image)));
    assertTrue(layout.exists(StorageLayout.layerLink(name("app"), layer)));
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void anUntaggedManifestStaysWithoutDeleteUntaggedAndGoesWithItsOwnBlobsWithIt(GcStorage storage) throws IOException {
    use(storage);
    Digest shared = layout.blob(300);
    Digest taggedConfig = layout.blob(10);
    Digest untaggedConfig = layout.blob(11);
    Digest unique = layout.blob(400);
    Digest tagged = layout.image(taggedConfig, shared);
    Digest untagged = layout.image(untaggedConfig, shared, unique);
    layout.linked("app", shared, taggedConfig, untaggedConfig, unique)
        .tagged("app", "old", untagged).tagged("app", "latest", tagged);
    // "old" moved on to the tagged image: the untagged manifest stays in the tag's history only.
    layout.write(StorageLayout.tagCurrentLink(name("app"), Tag.parse("old")), StorageLayout.link(tagged));

    GcResult kept = collect(offline());

    assertEquals(0, kept.blobsDeleted());
    assertEquals(Set.of(), eligibleManifests);

    GcResult result = collect(untagged());

    assertBlobs(true, shared, taggedConfig, tagged);
    assertBlobs(false, untagged, untaggedConfig, unique);
    assertFalse(layout.exists(StorageLayout.revisionDirectory(name("app"), untagged)));
    assertFalse(layout.exists(StorageLayout.tagIndexLink(name("app"), Tag.parse("old"), untagged)));
    assertTrue(layout.exists(StorageLayout.revisionLink(name("app"), tagged)));
    assertEquals(Set.of("app@" + untagged), eligibleManifests);
    assertEquals(List.of(new GcResult.DeletedManifest("app", untagged.toString())), result.manifestsDeleted());
    assertEquals(strings(untagged, untaggedConfig, unique), eligibleBlobs);
    assertFalse(layout.exists(StorageLayout.layerLink(name("app"), unique)));
    assertTrue(layout.exists(StorageLayout.layerLink(name("app"), shared)));
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void theChildrenOfATaggedIndexAndTheirBlobsStayWithDeleteUntagged(GcStorage storage) throws IOException {
    use(storage);
    Digest amdConfig = layout.blob(20);
    Digest amdLayer = layout.blob(500);
    Digest armConfig = layout.blob(21);
    Digest armLayer = layout.blob(501);
    Digest amd = layout.image(amdConfig, amdLayer);
    Digest arm = layout.image(armConfig, armLayer);
    Digest index = layout.index(amd, arm);
    // The arm child has no revision of its own here (another registry wrote it): it is kept through the index.
    layout.linked("multi", amdConfig, amdLayer, armConfig, armLayer).revision("multi", amd)
        .tagged("multi", "v1", index);

    GcResult result = collect(untagged());

    assertBlobs(true, amdConfig, amdLayer, armConfig, armLayer, amd, arm, index);
    assertTrue(layout.exists(StorageLayout.revisionLink(name("multi"), amd)));
    assertEquals(0, result.manifestsEligible());
    assertEquals(0, result.blobsEligible());
    assertEquals(7, result.marked());
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void anUntaggedIndexGoesWithTheChildrenOnlyItReachedWithDeleteUntagged(GcStorage storage) throws IOException {
    use(storage);
    Digest config = layout.blob(30);
    Digest layer = layout.blob(600);
    Digest child = layout.image(config, layer);
    Digest index = layout.index(child);
    layout.linked("multi", config, layer).revision("multi", child).revision("multi", index);

    collect(untagged());

    assertBlobs(false, config, layer, child, index);
    assertEquals(Set.of("multi@" + child, "multi@" + index), eligibleManifests);
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void referrersOfAKeptManifestStayAndThoseOfADoomedOneGoWithDeleteUntagged(GcStorage storage) throws IOException {
    use(storage);
    Digest config = layout.blob(40);
    Digest signatureConfig = layout.blob(41);
    Digest attestationConfig = layout.blob(42);
    Digest doomedConfig = layout.blob(43);
    Digest doomedSignatureConfig = layout.blob(44);
    Digest image = layout.image(config);
    Digest signature = layout.referrer(image, signatureConfig);
    Digest signatureOfSignature = layout.referrer(signature, attestationConfig);
    Digest doomed = layout.image(doomedConfig);
    Digest doomedSignature = layout.referrer(doomed, doomedSignatureConfig);
    layout.tagged("app", "v1", image).revision("app", signatureOfSignature).revision("app", signature)
        .revision("app", doomed).revision("app", doomedSignature);

    collect(untagged());

    assertBlobs(true, image, config, signature, signatureConfig, signatureOfSignature, attestationConfig);
    assertBlobs(false, doomed, doomedConfig, doomedSignature, doomedSignatureConfig);
    assertEquals(Set.of("app@" + doomed, "app@" + doomedSignature), eligibleManifests);
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aBlobSharedAcrossRepositoriesStaysWhileOneRepositoryReferencesIt(GcStorage storage) throws IOException {
    use(storage);
    Digest shared = layout.blob(700);
    Digest config = layout.blob(50);
    Digest dropped = layout.blob(800);
    Digest image = layout.image(config, shared);
    // team/app is nested under team: both are repositories.
    layout.linked("team", shared, config).tagged("team", "v1", image);
    layout.linked("team/app", shared, dropped);

    GcResult result = collect(offline());

    assertBlobs(true, shared, config, image);
    assertBlobs(false, dropped);
    assertTrue(layout.exists(StorageLayout.layerLink(name("team/app"), shared)));
    assertFalse(layout.exists(StorageLayout.layerLink(name("team/app"), dropped)));
    assertEquals(2, result.repositories());
  }

  @Test
  void blobsAndLinksChangedWithinTheGracePeriodStay() throws IOException {
    use(GcStorage.FILESYSTEM);
    Digest old = layout.blob(900);
    Digest fresh = layout.blob(901);
    Digest freshlyLinked = layout.blob(902);
    layout.linked("app", old, fresh, freshlyLinked);
    layout.age(StorageLayout.blobData(fresh), Duration.ofMinutes(1));
    layout.age(StorageLayout.layerLink(name("app"), freshlyLinked), Duration.ofMinutes(1));
    layout.age(StorageLayout.blobData(old), GRACE.plusMinutes(1));

    GcResult result = collect(new GcOptions(false, false, GRACE));

    assertBlobs(false, old);
    assertBlobs(true, fresh, freshlyLinked);
    assertEquals(2, result.blobsKept());
    assertEquals(strings(old), eligibleBlobs);
  }

  @Test
  void anUntaggedManifestPushedWithinTheGracePeriodStaysWithDeleteUntagged() throws IOException {
    use(GcStorage.FILESYSTEM);
    Digest config = layout.blob(60);
    Digest layer = layout.blob(1001);
    Digest pushedByDigest = layout.image(config, layer);
    layout.linked("app", config, layer).revision("app", pushedByDigest);
    layout.age(StorageLayout.revisionLink(name("app"), pushedByDigest), Duration.ofMinutes(1));

    GcResult result = collect(new GcOptions(false, true, GRACE));

    assertBlobs(true, config, layer, pushedByDigest);
    assertEquals(0, result.manifestsEligible());
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void uploadsInProgressAreNeverTouched(GcStorage storage) throws IOException {
    use(storage);
    String upload = layout.upload("app", UploadId.parse("0b7e4c1a-9d3a-4b7e-8f00-0123456789ab"), 5000);
    Buffer bytes = layout.read(upload);

    GcResult result = collect(untagged());

    assertEquals(bytes, layout.read(upload));
    assertEquals(1, result.repositories());
    assertEquals(0, result.blobsEligible());
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aDryRunReportsWhatARealRunDeletesAndChangesNothing(GcStorage storage) throws IOException {
    use(storage);
    Digest config = layout.blob(70);
    Digest image = layout.image(config);
    Digest untaggedConfig = layout.blob(71);
    Digest untagged = layout.image(untaggedConfig);
    Digest orphan = layout.blob(1100);
    layout.linked("app", config, untaggedConfig, orphan).tagged("app", "v1", image).revision("app", untagged);
    Map<String, String> before = snapshot();

    GcResult dry = collect(GcOptions.offline(true, true));
    Set<String> reportedBlobs = new TreeSet<>(eligibleBlobs);
    Set<String> reportedManifests = new TreeSet<>(eligibleManifests);
    Set<String> reportedLinks = new TreeSet<>(eligibleLinks);

    assertEquals(before, snapshot());
    assertEquals(strings(untagged, untaggedConfig, orphan), reportedBlobs);
    assertEquals(0, dry.blobsDeleted());
    assertEquals(1100 + 71 + layout.read(StorageLayout.blobData(untagged)).length(), dry.bytesEligible());

    eligibleBlobs.clear();
    eligibleManifests.clear();
    eligibleLinks.clear();
    GcResult real = collect(untagged());

    assertEquals(reportedBlobs, eligibleBlobs);
    assertEquals(reportedManifests, eligibleManifests);
    assertEquals(reportedLinks, eligibleLinks);
    assertEquals(Set.of("app@" + untaggedConfig, "app@" + orphan), reportedLinks);
    assertEquals(dry.bytesEligible(), real.bytesFreed());
    assertBlobs(false, untagged, untaggedConfig, orphan);
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void linksToBlobsThatAreGoneAreRemoved(GcStorage storage) throws IOException {
    use(storage);
    Digest neverStored = new Digest(Digest.SHA256, "ab".repeat(32));
    layout.linked("app", neverStored);

    GcResult result = collect(offline());

    assertFalse(layout.exists(StorageLayout.layerLinkDirectory(name("app"), neverStored)));
    assertEquals(1, result.layerLinksDeleted());
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aManifestThatCannotBeReadStopsTheCollectionBeforeAnyDeletion(GcStorage storage) throws IOException {
    use(storage);
    Digest broken = layout.store(Buffer.buffer("not a manifest"));
    Digest orphan = layout.blob(1200);
    layout.tagged("app", "v1", broken);

    GcException stopped = assertThrows(GcException.class, () -> collect(offline()));

    assertTrue(stopped.getMessage().contains(broken.toString()), stopped.getMessage());
    assertBlobs(true, orphan, broken);
  }

  /** A tag's name becomes part of a path; one that is no tag is not followed, and what it tags is unknown. */
  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aTagDirectoryThatIsNoTagStopsTheCollectionBeforeAnyDeletion(GcStorage storage) throws IOException {
    use(storage);
    Digest config = layout.blob(100);
    Digest image = layout.image(config);
    Digest orphan = layout.blob(1200);
    layout.tagged("app", "v1", image);
    layout.write(StorageLayout.tags(name("app")) + "/-odd/current/link", StorageLayout.link(image));

    GcException stopped = assertThrows(GcException.class, () -> collect(offline()));

    assertTrue(stopped.getMessage().contains("-odd"), stopped.getMessage());
    assertBlobs(true, config, image, orphan);
  }

  @Test
  void dataAndLinksAStoppedRunLeftAsideArePutBack() throws IOException {
    use(GcStorage.FILESYSTEM);
    Digest config = layout.blob(80);
    Digest image = layout.image(config);
    layout.linked("app", config).tagged("app", "v1", image);
    Path data = driver.localPath(StorageLayout.blobData(config)).orElseThrow();
    Path link = driver.localPath(StorageLayout.layerLink(name("app"), config)).orElseThrow();
    Path revision = driver.localPath(StorageLayout.revisionLink(name("app"), image)).orElseThrow();
    List<Path> aside = new ArrayList<>();
    for (Path file : List.of(data, link, revision)) {
      aside.add(Files.move(file, file.resolveSibling(StorageDriver.CLAIM_PREFIX + "stopped-run")));
    }

    GcResult result = collect(offline());

    assertTrue(Files.exists(data));
    assertTrue(Files.exists(link));
    assertTrue(Files.exists(revision));
    aside.forEach(file -> assertFalse(Files.exists(file), file + " left aside"));
    assertEquals(0, result.blobsDeleted());
    assertEquals(2, result.marked());
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aRunAskedToStopWhileMarkingDeletesNothing(GcStorage storage) throws IOException {
    use(storage);
    Digest orphan = layout.blob(1400);
    layout.linked("app", orphan);

    GcResult result = collector(offline(), GcListener.NONE, true).run();

    assertTrue(result.stopped());
    assertBlobs(true, orphan);
    assertEquals(0, result.repositories());
  }

  @ParameterizedTest
  @EnumSource(GcStorage.class)
  void aRegistryWithoutRepositoriesCollectsItsBlobs(GcStorage storage) throws IOException {
    use(storage);
    Digest orphan = layout.blob(1300);

    GcResult result = collect(offline());

    assertBlobs(false, orphan);
    assertEquals(0, result.repositories());
    assertEquals(1, result.blobsDeleted());
  }
}
