package io.berth.blob.gc;

import io.berth.common.oci.Digest;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads what stored manifests reference, remembering it by digest (a manifest never changes), so an online
 * collection reads each manifest once, not once per run.
 */
public final class ManifestReader {
  /** distribution refuses manifests over 4 MiB; anything far larger under a revision is not a manifest. */
  private static final long MAX_MANIFEST_BYTES = 16L * 1024 * 1024;
  private static final int MAX_REMEMBERED = 100_000;

  private final Path root;
  private final Map<Digest, ManifestReferences> remembered = new ConcurrentHashMap<>();

  public ManifestReader(Path root) {
    this.root = root;
  }

  /**
   * A manifest whose bytes are missing references nothing (there is nothing left to protect); one that cannot be
   * read stops the collection, since what it keeps alive is unknown.
   */
  ManifestReferences references(Digest digest) throws IOException {
    ManifestReferences known = remembered.get(digest);
    if (known != null) {
      return known;
    }
    Path data = root.resolve(StorageLayout.blobData(digest));
    byte[] content;
    try {
      if (Files.size(data) > MAX_MANIFEST_BYTES) {
        throw unreadable(digest, "larger than " + MAX_MANIFEST_BYTES + " bytes");
      }
      content = Files.readAllBytes(data);
    } catch (NoSuchFileException e) {
      return ManifestReferences.NONE;
    }
    ManifestReferences references;
    try {
      references = ManifestReferences.parse(Buffer.buffer(content));
    } catch (IllegalArgumentException e) {
      throw unreadable(digest, e.getMessage());
    }
    if (remembered.size() >= MAX_REMEMBERED) {
      remembered.clear();
    }
    remembered.put(digest, references);
    return references;
  }

  private static GcException unreadable(Digest digest, String why) {
    return new GcException("manifest " + digest + " cannot be read (" + why + "); nothing is collected while what "
        + "it references is unknown: repair or delete it");
  }
}
