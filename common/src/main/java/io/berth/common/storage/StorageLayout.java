package io.berth.common.storage;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * CNCF distribution's filesystem layout, in one place, so an existing {@code registry:2} data directory is served
 * unchanged and {@code registry:2} can serve ours. Every path is built from validated names, digests and tags.
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
    return BLOBS + "/" + digest.algorithm() + "/" + digest.hex().substring(0, 2) + "/" + digest.hex();
  }

  public static String repository(RepositoryName repository) {
    return REPOSITORIES + "/" + repository.value();
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
    return repository(repository) + "/_layers/" + algorithm;
  }

  public static String layerLink(RepositoryName repository, Digest digest) {
    return repository(repository) + "/_layers/" + digest.algorithm() + "/" + digest.hex() + "/link";
  }

  public static String layerLinkDirectory(RepositoryName repository, Digest digest) {
    return repository(repository) + "/_layers/" + digest.algorithm() + "/" + digest.hex();
  }

  public static String revisions(RepositoryName repository, String algorithm) {
    return repository(repository) + "/_manifests/revisions/" + algorithm;
  }

  public static String revisionLink(RepositoryName repository, Digest digest) {
    return revisionDirectory(repository, digest) + "/link";
  }

  public static String revisionDirectory(RepositoryName repository, Digest digest) {
    return revisions(repository, digest.algorithm()) + "/" + digest.hex();
  }

  public static String tags(RepositoryName repository) {
    return repository(repository) + "/_manifests/tags";
  }

  public static String tagDirectory(RepositoryName repository, String tag) {
    return tags(repository) + "/" + tag;
  }

  public static String tagCurrentLink(RepositoryName repository, String tag) {
    return tagDirectory(repository, tag) + "/current/link";
  }

  public static String tagIndexLink(RepositoryName repository, String tag, Digest digest) {
    return tagDirectory(repository, tag) + "/index/" + digest.algorithm() + "/" + digest.hex() + "/link";
  }

  public static String upload(RepositoryName repository, String uuid) {
    return repository(repository) + "/_uploads/" + uuid;
  }

  public static String uploadData(RepositoryName repository, String uuid) {
    return upload(repository, uuid) + "/data";
  }

  public static String uploadStartedAt(RepositoryName repository, String uuid) {
    return upload(repository, uuid) + "/startedat";
  }

  /** A link file holds the digest it points to, as text, without a newline (as distribution writes it). */
  public static Buffer link(Digest digest) {
    return Buffer.buffer(digest.toString());
  }

  public static Digest parseLink(Buffer content) {
    return Digest.parse(content.toString().trim());
  }
}
