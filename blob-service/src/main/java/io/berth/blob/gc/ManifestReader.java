package io.berth.blob.gc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.common.oci.Digest;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what stored manifests reference, remembering it by digest (a manifest never changes), so an online
 * collection reads each manifest once, not once per run. Only what was parsed is remembered (Caffeine, bounded by
 * count); a manifest missing or unreadable is read again by the next run.
 */
public final class ManifestReader {
  /**
   * Deliberately above the 4 MiB a push may store ({@link io.berth.common.bus.message.ManifestPut#MAX_CONTENT_BYTES}):
   * this reads what is stored already, which another registry or an older limit may have written larger, and a
   * manifest that cannot be read stops the whole collection. It only bounds the memory of a read: anything far larger
   * under a revision is not a manifest.
   */
  private static final long MAX_MANIFEST_BYTES = 16L * 1024 * 1024;
  private static final int MAX_REMEMBERED = 100_000;
  /** How many manifests one batch holds in memory at once: their bytes are read side by side, then parsed. */
  private static final int BATCH = 256;

  private final Cache<Digest, ManifestReferences> remembered = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
      .executor(Runnable::run).build();

  /**
   * What each manifest references. A manifest whose bytes are missing references nothing (there is nothing left to
   * protect); one that cannot be read stops the collection, since what it keeps alive is unknown.
   */
  Map<Digest, ManifestReferences> references(SyncStorage storage, Collection<Digest> digests) throws IOException {
    Map<Digest, ManifestReferences> found = new LinkedHashMap<>();
    Set<Digest> missing = new LinkedHashSet<>();
    for (Digest digest : digests) {
      ManifestReferences known = remembered.getIfPresent(digest);
      if (known != null) {
        found.put(digest, known);
      } else {
        missing.add(digest);
      }
    }
    List<Digest> unknown = new ArrayList<>(missing);
    for (int start = 0; start < unknown.size(); start += BATCH) {
      List<Digest> batch = unknown.subList(start, Math.min(unknown.size(), start + BATCH));
      List<Buffer> contents = storage.each(batch, digest -> read(storage.driver(), digest));
      for (int i = 0; i < batch.size(); i++) {
        found.put(batch.get(i), parse(batch.get(i), contents.get(i)));
      }
    }
    return found;
  }

  private static Future<Buffer> read(StorageDriver driver, Digest digest) {
    String data = StorageLayout.blobData(digest);
    return SyncStorage.orNull(driver.stat(data)).compose(stat -> {
      if (stat == null) {
        return Future.succeededFuture();
      }
      if (stat.size() > MAX_MANIFEST_BYTES) {
        return Future.failedFuture(unreadable(digest, "larger than " + MAX_MANIFEST_BYTES + " bytes"));
      }
      return SyncStorage.readOrNull(driver, data);
    });
  }

  private ManifestReferences parse(Digest digest, Buffer content) {
    if (content == null) {
      return ManifestReferences.NONE;
    }
    ManifestReferences references;
    try {
      references = ManifestReferences.parse(content);
    } catch (IllegalArgumentException e) {
      throw unreadable(digest, e.getMessage());
    }
    remembered.put(digest, references);
    return references;
  }

  private static GcException unreadable(Digest digest, String why) {
    return new GcException("manifest " + digest + " cannot be read (" + why + "); nothing is collected while what "
        + "it references is unknown: repair or delete it");
  }
}
