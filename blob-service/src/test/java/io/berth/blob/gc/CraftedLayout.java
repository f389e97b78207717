package io.berth.blob.gc;

import static io.berth.common.testing.Await.result;

import io.berth.common.oci.ContentDigest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.oci.UploadId;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.common.testing.TestBytes;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Writes distribution's layout by hand, file by file through a storage driver, as a registry would have left it: the
 * collector's input without a registry in between. On a file system every file is an hour old unless a test makes it
 * younger; S3 sets an object's time itself (now), which a collection without a grace period does not look at.
 */
final class CraftedLayout {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final Duration OLD = Duration.ofHours(1);

  private final StorageDriver driver;
  private long seed;

  CraftedLayout(StorageDriver driver) {
    this.driver = driver;
  }

  /** A blob of {@code size} fresh random bytes. */
  Digest blob(int size) {
    return store(TestBytes.random(size, ++seed));
  }

  Digest store(Buffer content) {
    Digest digest = TestBytes.sha256(content);
    write(StorageLayout.blobData(digest), content);
    return digest;
  }

  /** A blob of fresh random bytes under its sha512 digest, as an upload completed with a sha512 digest stores it. */
  Digest sha512Blob(int size) {
    return storeAs(Digest.SHA512, TestBytes.random(size, ++seed));
  }

  /** An image manifest under its sha512 digest, as a push by a sha512 reference stores it. */
  Digest sha512Image(Digest config, Digest... layers) {
    return storeAs(Digest.SHA512, Buffer.buffer(imageJson(config, layers).encode()));
  }

  private Digest storeAs(String algorithm, Buffer content) {
    Digest digest = ContentDigest.of(algorithm, content);
    write(StorageLayout.blobData(digest), content);
    return digest;
  }

  Digest image(Digest config, Digest... layers) {
    return store(Buffer.buffer(imageJson(config, layers).encode()));
  }

  /** An image manifest whose {@code subject} is {@code subject}: a referrer, such as a signature. */
  Digest referrer(Digest subject, Digest config) {
    JsonObject json = imageJson(config).put("subject", descriptor(OCI_MANIFEST, subject));
    return store(Buffer.buffer(json.encode()));
  }

  Digest index(Digest... children) {
    JsonArray manifests = new JsonArray();
    for (Digest child : children) {
      manifests.add(descriptor(OCI_MANIFEST, child));
    }
    return store(Buffer.buffer(new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_INDEX)
        .put("manifests", manifests).encode()));
  }

  private static JsonObject imageJson(Digest config, Digest... layers) {
    JsonArray layerList = new JsonArray();
    for (Digest layer : layers) {
      layerList.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer));
    }
    return new JsonObject().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST)
        .put("config", descriptor("application/vnd.oci.image.config.v1+json", config)).put("layers", layerList);
  }

  private static JsonObject descriptor(String mediaType, Digest digest) {
    return new JsonObject().put("mediaType", mediaType).put("digest", digest.toString()).put("size", 1);
  }

  /** Links the blobs into the repository, as their uploads did. */
  CraftedLayout linked(String repository, Digest... blobs) {
    for (Digest blob : blobs) {
      write(StorageLayout.layerLink(RepositoryName.parse(repository), blob), StorageLayout.link(blob));
    }
    return this;
  }

  /** Makes the manifest a revision of the repository, as a push by digest does. */
  CraftedLayout revision(String repository, Digest manifest) {
    write(StorageLayout.revisionLink(RepositoryName.parse(repository), manifest), StorageLayout.link(manifest));
    return this;
  }

  /** A revision and a tag pointing at it, as a push by tag does. */
  CraftedLayout tagged(String repository, String tag, Digest manifest) {
    RepositoryName name = RepositoryName.parse(repository);
    revision(repository, manifest);
    write(StorageLayout.tagIndexLink(name, Tag.parse(tag), manifest), StorageLayout.link(manifest));
    write(StorageLayout.tagCurrentLink(name, Tag.parse(tag)), StorageLayout.link(manifest));
    return this;
  }

  /** An upload in progress: bytes under {@code _uploads}, which no collection may touch; answers its data's path. */
  String upload(String repository, UploadId uuid, int size) {
    RepositoryName name = RepositoryName.parse(repository);
    write(StorageLayout.uploadStartedAt(name, uuid), Buffer.buffer(Instant.now().toString()));
    write(StorageLayout.uploadData(name, uuid), TestBytes.random(size, ++seed));
    return StorageLayout.uploadData(name, uuid);
  }

  /** Sets the file's modification time to {@code age} ago; only a file system lets a test set it. */
  void age(String layoutPath, Duration age) {
    Path file = driver.localPath(layoutPath).orElseThrow(() -> new UnsupportedOperationException(
        "only a file system's times can be set"));
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(age)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean exists(String layoutPath) {
    return result(driver.stat(layoutPath).map(true).recover(failure -> failure instanceof PathNotFoundException
        ? Future.succeededFuture(false) : Future.failedFuture(failure)));
  }

  boolean blobExists(Digest digest) {
    return exists(StorageLayout.blobData(digest));
  }

  Buffer read(String layoutPath) {
    return result(driver.read(layoutPath));
  }

  /** Writes a file as a registry (or another tool) would have left it, old on a file system. */
  void write(String layoutPath, Buffer content) {
    result(driver.write(layoutPath, content));
    if (driver.localPath(layoutPath).isPresent()) {
      age(layoutPath, OLD);
    }
  }
}
