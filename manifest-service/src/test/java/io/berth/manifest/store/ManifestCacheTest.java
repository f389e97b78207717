package io.berth.manifest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.message.ManifestContent;
import io.berth.common.oci.MediaTypes;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class ManifestCacheTest {
  /** The cache's bounds: 32 MiB in all, entries of at most 256 KiB, so 128 largest entries fill it exactly. */
  private static final int LARGEST_ENTRY = 256 * 1024;
  private static final int LARGEST_ENTRIES_THAT_FIT = 128;

  private final ManifestCache cache = new ManifestCache();

  private static String digest(int n) {
    return "sha256:" + String.format("%064x", n);
  }

  private static ManifestContent manifest(int n, Buffer content) {
    return new ManifestContent(digest(n), MediaTypes.OCI_MANIFEST, content, null);
  }

  private static ManifestContent manifest(int n) {
    return manifest(n, Buffer.buffer("{\"schemaVersion\":2,\"n\":" + n + "}"));
  }

  @Test
  void aFillAtTheCurrentGenerationIsKept() {
    cache.putTag("team/app", "latest", digest(1), cache.generation());
    cache.putManifest("team/app", manifest(1), cache.generation());

    assertEquals(digest(1), cache.tag("team/app", "latest"));
    assertEquals(manifest(1), cache.manifest("team/app", digest(1)));
    assertNull(cache.manifest("team/other", digest(1)));
    assertNull(cache.tag("team/other", "latest"));
  }

  @Test
  void aDeletedRepositoryIsForgottenWholeAndOnlyIt() {
    cache.putTag("team/app", "latest", digest(1), cache.generation());
    cache.putManifest("team/app", manifest(1), cache.generation());
    cache.putTag("team/app/nested", "latest", digest(2), cache.generation());
    cache.putManifest("team/app/nested", manifest(2), cache.generation());
    long readStarted = cache.generation();

    cache.invalidateRepository("team/app");
    cache.putManifest("team/app", manifest(3), readStarted);

    assertNull(cache.tag("team/app", "latest"));
    assertNull(cache.manifest("team/app", digest(1)));
    assertNull(cache.manifest("team/app", digest(3)));
    assertEquals(digest(2), cache.tag("team/app/nested", "latest"));
    assertEquals(manifest(2), cache.manifest("team/app/nested", digest(2)));
  }

  @Test
  void aTagFillWithAGenerationFromBeforeAnInvalidationIsIgnored() {
    long readStarted = cache.generation();
    cache.invalidateTag("team/app", "latest");

    cache.putTag("team/app", "latest", digest(1), readStarted);

    assertNull(cache.tag("team/app", "latest"));
  }

  @Test
  void aManifestFillWithAGenerationFromBeforeAnInvalidationIsIgnored() {
    long readStarted = cache.generation();
    cache.invalidateManifest("team/other", digest(9));

    cache.putManifest("team/app", manifest(1), readStarted);

    assertNull(cache.manifest("team/app", digest(1)));
  }

  @Test
  void everyInvalidationStartsANewGeneration() {
    long first = cache.generation();
    cache.invalidateTag("team/app", "latest");
    long second = cache.generation();
    cache.invalidateManifest("team/app", digest(1));

    assertNotEquals(first, second);
    assertNotEquals(second, cache.generation());
  }

  /**
   * One entry over the bound evicts one entry, never the one in use. Which one is Caffeine's W-TinyLFU choice (a
   * never-read entry loses to one read since), not strictly the least recently used as the hand-written map did.
   */
  @Test
  void theByteBoundEvictsOneManifestNotTheOneInUse() {
    Buffer largest = Buffer.buffer(new byte[LARGEST_ENTRY]);
    for (int n = 0; n < LARGEST_ENTRIES_THAT_FIT; n++) {
      cache.putManifest("team/app", manifest(n, largest), cache.generation());
    }
    assertNotNull(cache.manifest("team/app", digest(0)));

    cache.putManifest("team/app", manifest(LARGEST_ENTRIES_THAT_FIT, largest), cache.generation());

    assertNotNull(cache.manifest("team/app", digest(0)));
    int kept = 0;
    for (int n = 0; n <= LARGEST_ENTRIES_THAT_FIT; n++) {
      kept += cache.manifest("team/app", digest(n)) == null ? 0 : 1;
    }
    assertEquals(LARGEST_ENTRIES_THAT_FIT, kept);
  }

  @Test
  void replacingAnEntryDoesNotCountItsBytesTwice() {
    Buffer largest = Buffer.buffer(new byte[LARGEST_ENTRY]);
    for (int round = 0; round < 3; round++) {
      for (int n = 0; n < LARGEST_ENTRIES_THAT_FIT; n++) {
        cache.putManifest("team/app", manifest(n, largest), cache.generation());
      }
    }

    for (int n = 0; n < LARGEST_ENTRIES_THAT_FIT; n++) {
      assertNotNull(cache.manifest("team/app", digest(n)), "entry " + n);
    }
  }

  @Test
  void aManifestLargerThanAnEntryMayBeIsNotCached() {
    cache.putManifest("team/app", manifest(1, Buffer.buffer(new byte[LARGEST_ENTRY + 1])), cache.generation());

    assertNull(cache.manifest("team/app", digest(1)));
  }

  @Test
  void invalidateManifestDropsItAndTheTagsOfItsRepositoryPointingAtIt() {
    long generation = cache.generation();
    cache.putManifest("team/app", manifest(1), generation);
    cache.putManifest("team/app", manifest(2), generation);
    cache.putTag("team/app", "latest", digest(1), generation);
    cache.putTag("team/app", "v1", digest(1), generation);
    cache.putTag("team/app", "v2", digest(2), generation);
    cache.putTag("team/app/sub", "latest", digest(1), generation);
    cache.putTag("team/other", "latest", digest(1), generation);

    cache.invalidateManifest("team/app", digest(1));

    assertNull(cache.manifest("team/app", digest(1)));
    assertNull(cache.tag("team/app", "latest"));
    assertNull(cache.tag("team/app", "v1"));
    assertEquals(digest(2), cache.tag("team/app", "v2"));
    assertEquals(manifest(2), cache.manifest("team/app", digest(2)));
    assertEquals(digest(1), cache.tag("team/app/sub", "latest"));
    assertEquals(digest(1), cache.tag("team/other", "latest"));
  }

  @Test
  void invalidateTagDropsOnlyThatTag() {
    long generation = cache.generation();
    cache.putTag("team/app", "latest", digest(1), generation);
    cache.putTag("team/app", "v1", digest(1), generation);

    cache.invalidateTag("team/app", "latest");

    assertNull(cache.tag("team/app", "latest"));
    assertEquals(digest(1), cache.tag("team/app", "v1"));
  }

  /** The tag bound forgets a few tags, never all: the map used to be cleared whole when it reached its bound. */
  @Test
  void theTagBoundKeepsTheRecentTagsAndNoMoreThanItsBound() {
    int pushed = ManifestCache.MAX_TAGS + 1;
    for (int n = 0; n < pushed; n++) {
      cache.putTag("team/app", "t" + n, digest(n), cache.generation());
    }

    for (int n = pushed - 100; n < pushed; n++) {
      assertEquals(digest(n), cache.tag("team/app", "t" + n), "tag " + n);
    }
    int kept = 0;
    for (int n = 0; n < pushed; n++) {
      kept += cache.tag("team/app", "t" + n) == null ? 0 : 1;
    }
    assertTrue(kept <= ManifestCache.MAX_TAGS, kept + " tags kept");
  }
}
