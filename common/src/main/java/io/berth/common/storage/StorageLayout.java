package io.berth.common.storage;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.oci.UploadId;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * CNCF distribution's filesystem layout, in one place, so an existing {@code registry:2} data directory is served
 * unchanged and {@code registry:2} can serve ours. Every path is built from typed identifiers ({@link RepositoryName},
 * {@link Digest}, {@link Tag}, {@link UploadId}), which check their grammars when made, and each component is checked
 * again here ({@link PathComponent}) before it becomes part of a path: an upload id of {@code ../../../../blobs/…}
 * once reached every repository's blobs (security issue #10).
 */
public final class StorageLayout {
  public static final String V2 = "docker/registry/v2";
  private static final String BLOBS = V2 + "/blobs";
  public static final String REPOSITORIES = V2 + "/repositories";

  private StorageLayout() {
  }

  /** The root of all blob data; below it {@code <algorithm>/<2 hex>/<hex>/data}. */
  public static String blobs() {
    return BLOBS;
  }

  public static String blobData(Digest digest) {
    return blobDirectory(digest) + "/data";
  }

  public static String blobDirectory(Digest digest) {
    String hex = PathComponent.HEX.check(digest.hex());
    return BLOBS + "/" + algorithm(digest.algorithm()) + "/" + hex.substring(0, 2) + "/" + hex;
  }

  public static String repository(RepositoryName repository) {
    return REPOSITORIES + "/" + PathComponent.REPOSITORY_NAME.checkEach(repository.value());
  }

  /**
   * What a repository itself holds ({@code _manifests}, {@code _layers}, {@code _uploads}); its directory may also
   * hold nested repositories ({@code a/b} inside {@code a}), which are not its own.
   */
  public static List<String> repositoryContents(RepositoryName repository) {
    String directory = repository(repository);
    return List.of(directory + "/_manifests", directory + "/_layers", directory + "/_uploads");
  }

  public static String layers(RepositoryName repository, String algorithm) {
    return repository(repository) + "/_layers/" + algorithm(algorithm);
  }

  public static String layerLink(RepositoryName repository, Digest digest) {
    return layerLinkDirectory(repository, digest) + "/link";
  }

  public static String layerLinkDirectory(RepositoryName repository, Digest digest) {
    return layers(repository, digest.algorithm()) + "/" + PathComponent.HEX.check(digest.hex());
  }

  public static String revisions(RepositoryName repository, String algorithm) {
    return repository(repository) + "/_manifests/revisions/" + algorithm(algorithm);
  }

  public static String revisionLink(RepositoryName repository, Digest digest) {
    return revisionDirectory(repository, digest) + "/link";
  }

  public static String revisionDirectory(RepositoryName repository, Digest digest) {
    return revisions(repository, digest.algorithm()) + "/" + PathComponent.HEX.check(digest.hex());
  }

  public static String tags(RepositoryName repository) {
    return repository(repository) + "/_manifests/tags";
  }

  public static String tagDirectory(RepositoryName repository, Tag tag) {
    return tags(repository) + "/" + PathComponent.TAG.check(tag.value());
  }

  public static String tagCurrentLink(RepositoryName repository, Tag tag) {
    return tagDirectory(repository, tag) + "/current/link";
  }

  public static String tagIndexLink(RepositoryName repository, Tag tag, Digest digest) {
    return tagDirectory(repository, tag) + "/index/" + algorithm(digest.algorithm()) + "/"
        + PathComponent.HEX.check(digest.hex()) + "/link";
  }

  public static String upload(RepositoryName repository, UploadId upload) {
    return repository(repository) + "/_uploads/" + PathComponent.UPLOAD_ID.check(upload.value());
  }

  public static String uploadData(RepositoryName repository, UploadId upload) {
    return upload(repository, upload) + "/data";
  }

  public static String uploadStartedAt(RepositoryName repository, UploadId upload) {
    return upload(repository, upload) + "/startedat";
  }

  /** The directory of the upload's saved SHA-256 states, one file per offset. */
  public static String uploadHashStates(RepositoryName repository, UploadId upload) {
    return upload(repository, upload) + "/hashstates/sha256";
  }

  /** The upload's SHA-256 state after its first {@code offset} bytes, where distribution keeps it. */
  public static String uploadHashState(RepositoryName repository, UploadId upload, long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("not an offset: " + offset);
    }
    return uploadHashStates(repository, upload) + "/" + offset;
  }

  /** A link file holds the digest it points to, as text, without a newline (as distribution writes it). */
  public static Buffer link(Digest digest) {
    return Buffer.buffer(digest.toString());
  }

  public static Digest parseLink(Buffer content) {
    return Digest.parse(content.toString().trim());
  }

  /** Only the algorithms the registry verifies have directories. */
  private static String algorithm(String algorithm) {
    if (!Digest.isSupported(algorithm)) {
      throw new IllegalArgumentException("not a digest algorithm of the registry: " + algorithm);
    }
    return PathComponent.ALGORITHM.check(algorithm);
  }
}
