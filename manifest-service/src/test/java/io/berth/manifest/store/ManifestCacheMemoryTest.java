package io.berth.manifest.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.bus.message.ManifestContent;
import io.berth.common.oci.MediaTypes;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import org.junit.jupiter.api.Test;

/**
 * The manifest cache's byte bound is a bound on the heap it holds, also for small manifests: an entry costs its key,
 * its digest, the record and the buffer besides its bytes, about 700 bytes, so a cache weighed by content alone held
 * four times its bound in manifests of 250 bytes (anyone who may push can store and pull that many).
 */
class ManifestCacheMemoryTest {
  private static final int SMALL_MANIFEST = 250;

  @Test
  void smallManifestsHoldLittleMoreHeapThanTheByteBound() {
    long before = heapUsedAfterGc();
    ManifestCache cache = new ManifestCache();
    int entries = (int) (2 * ManifestCache.MAX_BYTES / SMALL_MANIFEST);
    for (int n = 0; n < entries; n++) {
      cache.putManifest("team/app", manifest(n), cache.generation());
    }

    long held = heapUsedAfterGc() - before;
    Reference.reachabilityFence(cache);

    assertTrue(held < ManifestCache.MAX_BYTES * 3 / 2, "the cache holds " + held / (1024 * 1024)
        + " MiB of heap for a bound of " + ManifestCache.MAX_BYTES / (1024 * 1024) + " MiB");
  }

  /**
   * Tags are bounded by count, 100,000 of them, which is 30 MiB of heap for short names; with the longest names a
   * repository (255 characters) and a tag (128) may have, and sha512 digests, the same count held over twice that.
   */
  @Test
  void tagsOfTheLongestNamesHoldLittleMoreHeapThanShortOnes() {
    String repository = "r/".repeat(127) + "r";
    String tag = "t".repeat(120);
    long before = heapUsedAfterGc();
    ManifestCache cache = new ManifestCache();
    for (int n = 0; n < ManifestCache.MAX_TAGS; n++) {
      cache.putTag(repository, tag + String.format("%08d", n), "sha512:" + String.format("%0128x", n),
          cache.generation());
    }

    long held = heapUsedAfterGc() - before;
    Reference.reachabilityFence(cache);

    assertTrue(held < 40L * 1024 * 1024, "the tags hold " + held / (1024 * 1024) + " MiB of heap");
  }

  private static ManifestContent manifest(int n) {
    String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"n\":" + n + ",\"pad\":\"";
    return new ManifestContent(digest(n), MediaTypes.OCI_MANIFEST,
        Buffer.buffer(json + "x".repeat(SMALL_MANIFEST - json.length() - 2) + "\"}"), null);
  }

  private static String digest(int n) {
    return "sha256:" + String.format("%064x", n);
  }

  private static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
