package io.berth.manifest.store;

import io.berth.common.bus.message.ManifestContent;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tags by name and manifests by digest, bounded by bytes, least recently used first. Writers change storage first
 * and invalidate after; a reader may fill the cache only if nothing was invalidated since its read began (the
 * generation it took before reading), so a slow read can never put back a value a writer has just replaced.
 * One per process, shared by its manifest verticles; how far it is trusted is the {@link CachePolicy}'s matter.
 */
public final class ManifestCache {
  private static final long MAX_BYTES = 32L * 1024 * 1024;
  private static final int MAX_ENTRY_BYTES = 256 * 1024;
  private static final int MAX_TAGS = 100_000;

  private final Map<String, String> tags = new HashMap<>();
  private final LinkedHashMap<String, ManifestContent> manifests = new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long generation;

  public synchronized long generation() {
    return generation;
  }

  public synchronized String tag(String repository, String tag) {
    return tags.get(repository + ":" + tag);
  }

  public synchronized void putTag(String repository, String tag, String digest, long readGeneration) {
    if (readGeneration != generation) {
      return;
    }
    if (tags.size() >= MAX_TAGS) {
      tags.clear();
    }
    tags.put(repository + ":" + tag, digest);
  }

  public synchronized ManifestContent manifest(String repository, String digest) {
    return manifests.get(repository + "@" + digest);
  }

  public synchronized void putManifest(String repository, ManifestContent content, long readGeneration) {
    int size = content.content().length();
    if (readGeneration != generation || size > MAX_ENTRY_BYTES) {
      return;
    }
    ManifestContent previous = manifests.put(repository + "@" + content.digest(), content);
    bytes += size - (previous == null ? 0 : previous.content().length());
    Iterator<ManifestContent> eldest = manifests.values().iterator();
    while (bytes > MAX_BYTES && eldest.hasNext()) {
      bytes -= eldest.next().content().length();
      eldest.remove();
    }
  }

  public synchronized void invalidateTag(String repository, String tag) {
    generation++;
    tags.remove(repository + ":" + tag);
  }

  /** Forgets everything of a deleted repository. */
  public synchronized void invalidateRepository(String repository) {
    generation++;
    tags.keySet().removeIf(key -> key.startsWith(repository + ":"));
    Iterator<Map.Entry<String, ManifestContent>> entries = manifests.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<String, ManifestContent> entry = entries.next();
      if (entry.getKey().startsWith(repository + "@")) {
        bytes -= entry.getValue().content().length();
        entries.remove();
      }
    }
  }

  /** Forgets a deleted manifest and every tag of its repository that pointed at it. */
  public synchronized void invalidateManifest(String repository, String digest) {
    generation++;
    ManifestContent removed = manifests.remove(repository + "@" + digest);
    if (removed != null) {
      bytes -= removed.content().length();
    }
    tags.entrySet().removeIf(entry -> entry.getKey().startsWith(repository + ":") && entry.getValue().equals(digest));
  }
}
