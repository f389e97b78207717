package io.berth.manifest.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.common.bus.message.ManifestContent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tags by name and manifests by digest (Caffeine: tags bounded by the length of their names, manifests by bytes, a
 * small one counted as {@value #MIN_ENTRY_WEIGHT}). Writers change storage first and invalidate after; a reader may
 * fill the cache only if nothing was invalidated since its read began (the generation it took before reading), so a
 * slow read can never put back a value a writer has just replaced.
 * One per process, shared by its manifest verticles; how far it is trusted is the {@link CachePolicy}'s matter.
 *
 * <p>No lock: an invalidation bumps the generation before it removes, and a fill checks the generation again after
 * it puts and takes its own value back out if it changed. So either the fill sees the bump, or the bump (and the
 * removal after it) came after the fill's put and removes what it put.
 */
public final class ManifestCache {
  static final long MAX_BYTES = 32L * 1024 * 1024;
  static final int MAX_ENTRY_BYTES = 256 * 1024;
  static final int MAX_TAGS = 100_000;
  /**
   * What a manifest weighs at least: an entry holds some 500 bytes besides its content (key, digest, record, buffer),
   * so weighed by content alone, manifests of 250 bytes filled three times the bound.
   */
  static final int MIN_ENTRY_WEIGHT = 2 * 1024;

  /**
   * What a tag weighs at least, in characters of its key and digest: {@value #MAX_TAGS} tags of ordinary names fill
   * the cache (some 30 MiB), and longer names fewer; by count alone, the longest names held 67 MiB.
   */
  static final int MIN_TAG_WEIGHT = 128;

  private final Cache<String, String> tags = Caffeine.newBuilder().maximumWeight((long) MAX_TAGS * MIN_TAG_WEIGHT)
      .<String, String>weigher((key, digest) -> Math.max(key.length() + digest.length(), MIN_TAG_WEIGHT))
      .executor(Runnable::run).build();
  private final Cache<String, ManifestContent> manifests = Caffeine.newBuilder().maximumWeight(MAX_BYTES)
      .<String, ManifestContent>weigher((key, content) -> Math.max(content.content().length(), MIN_ENTRY_WEIGHT))
      .executor(Runnable::run).build();
  private final AtomicLong generation = new AtomicLong();

  public long generation() {
    return generation.get();
  }

  public String tag(String repository, String tag) {
    return tags.getIfPresent(tagKey(repository, tag));
  }

  public void putTag(String repository, String tag, String digest, long readGeneration) {
    fill(tags, tagKey(repository, tag), digest, readGeneration);
  }

  public ManifestContent manifest(String repository, String digest) {
    return manifests.getIfPresent(manifestKey(repository, digest));
  }

  public void putManifest(String repository, ManifestContent content, long readGeneration) {
    if (content.content().length() <= MAX_ENTRY_BYTES) {
      fill(manifests, manifestKey(repository, content.digest()), content, readGeneration);
    }
  }

  public void invalidateTag(String repository, String tag) {
    generation.incrementAndGet();
    tags.invalidate(tagKey(repository, tag));
  }

  /** Forgets everything of a deleted repository. */
  public void invalidateRepository(String repository) {
    generation.incrementAndGet();
    tags.asMap().keySet().removeIf(key -> key.startsWith(repository + ":"));
    manifests.asMap().keySet().removeIf(key -> key.startsWith(repository + "@"));
  }

  /** Forgets a deleted manifest and every tag of its repository that pointed at it. */
  public void invalidateManifest(String repository, String digest) {
    generation.incrementAndGet();
    manifests.invalidate(manifestKey(repository, digest));
    tags.asMap().entrySet()
        .removeIf(entry -> entry.getKey().startsWith(repository + ":") && entry.getValue().equals(digest));
  }

  private <V> void fill(Cache<String, V> cache, String key, V value, long readGeneration) {
    if (readGeneration != generation.get()) {
      return;
    }
    cache.put(key, value);
    if (readGeneration != generation.get()) {
      cache.asMap().remove(key, value);
    }
  }

  private static String tagKey(String repository, String tag) {
    return repository + ":" + tag;
  }

  private static String manifestKey(String repository, String digest) {
    return repository + "@" + digest;
  }
}
