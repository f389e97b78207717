package io.berth.manifest.store;

import io.berth.common.bus.message.ManifestContent;
import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.Reference;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.berth.manifest.validate.ManifestParser;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manifests and tags in distribution's layout: the manifest bytes are a blob, a revision link makes it part of a
 * repository, and a tag is a {@code current/link} naming a revision. Every link is replaced atomically, and the tag
 * link is written last, so a reader never follows a tag to a manifest that is not fully stored.
 */
public final class ManifestStore {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestStore.class);
  private final StorageDriver driver;
  private final ManifestCache cache;
  private final Duration refreshAfter;
  private final CachePolicy policy;

  public ManifestStore(StorageDriver driver, ManifestCache cache) {
    this(driver, cache, null);
  }

  public ManifestStore(StorageDriver driver, ManifestCache cache, Duration refreshAfter) {
    this(driver, cache, refreshAfter, CachePolicy.LOCAL);
  }

  /**
   * {@code refreshAfter}: while garbage collection runs alongside (null: it does not), a manifest an index being
   * pushed relies on gets its revision link's time refreshed once older than that, so that a collection deleting
   * untagged manifests spares it (it spares what changed within its grace period). {@code policy}: whether other
   * processes write this storage too.
   */
  public ManifestStore(StorageDriver driver, ManifestCache cache, Duration refreshAfter, CachePolicy policy) {
    this.driver = driver;
    this.cache = cache;
    this.refreshAfter = refreshAfter;
    this.policy = policy;
  }

  public Future<ManifestContent> get(RepositoryName repository, Reference reference) {
    if (reference.isDigest()) {
      return byDigest(repository, reference.digest());
    }
    return resolveTag(repository, reference.tag()).compose(digest -> byDigest(repository, digest));
  }

  public Future<Digest> resolveTag(RepositoryName repository, Tag tag) {
    String missing = "manifest unknown: tag " + tag;
    if (policy == CachePolicy.SHARED) {
      return readLink(StorageLayout.tagCurrentLink(repository, tag), missing);
    }
    String cached = cache.tag(repository.value(), tag.value());
    if (cached != null) {
      return Future.succeededFuture(Digest.parse(cached));
    }
    long generation = cache.generation();
    return readLink(StorageLayout.tagCurrentLink(repository, tag), missing)
        .onSuccess(digest -> cache.putTag(repository.value(), tag.value(), digest.toString(), generation));
  }

  private Future<ManifestContent> byDigest(RepositoryName repository, Digest digest) {
    ManifestContent cached = cache.manifest(repository.value(), digest.toString());
    if (cached != null) {
      return policy == CachePolicy.LOCAL ? Future.succeededFuture(cached) : stillInRepository(repository, digest, cached);
    }
    long generation = cache.generation();
    return exists(repository, digest)
        .compose(present -> present ? driver.read(StorageLayout.blobData(digest))
            : Future.failedFuture(unknown("manifest unknown: " + digest)))
        .recover(failure -> Future.failedFuture(failure instanceof PathNotFoundException
            ? unknown("manifest unknown: " + digest) : failure))
        .map(content -> new ManifestContent(digest.toString(), ManifestParser.storedMediaType(content), content, null))
        .onSuccess(content -> cache.putManifest(repository.value(), content, generation));
  }

  /** The cached manifest when the repository's revision link still exists; else it is forgotten and unknown. */
  private Future<ManifestContent> stillInRepository(RepositoryName repository, Digest digest,
      ManifestContent cached) {
    return driver.stat(StorageLayout.revisionLink(repository, digest))
        .map(cached)
        .recover(failure -> {
          if (!(failure instanceof PathNotFoundException)) {
            return Future.failedFuture(failure);
          }
          cache.invalidateManifest(repository.value(), digest.toString());
          return Future.failedFuture(unknown("manifest unknown: " + digest));
        });
  }

  /** Whether the repository holds this manifest (its revision link exists and names it). */
  public Future<Boolean> exists(RepositoryName repository, Digest digest) {
    return readLink(StorageLayout.revisionLink(repository, digest), "")
        .map(digest::equals)
        .recover(failure -> failure instanceof RegistryException
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  /** {@link #exists}, for a manifest about to be referenced (an index's child): refreshes it for a concurrent GC. */
  public Future<Boolean> existsForReference(RepositoryName repository, Digest digest) {
    if (refreshAfter == null) {
      return exists(repository, digest);
    }
    String link = StorageLayout.revisionLink(repository, digest);
    return exists(repository, digest).compose(present -> !present ? Future.succeededFuture(false)
        : driver.stat(link)
            .compose(stat -> System.currentTimeMillis() - stat.modifiedMillis() < refreshAfter.toMillis()
                ? Future.<Void>succeededFuture() : driver.touch(link))
            .map(true)
            .recover(failure -> failure instanceof PathNotFoundException
                ? Future.succeededFuture(false) : Future.failedFuture(failure)));
  }

  public Future<Void> put(RepositoryName repository, Digest digest, Buffer content, Tag tag) {
    Future<Void> stored = driver.write(StorageLayout.blobData(digest), content)
        .compose(v -> driver.write(StorageLayout.revisionLink(repository, digest), StorageLayout.link(digest)));
    if (tag == null) {
      return stored;
    }
    return stored
        .compose(v -> driver.write(StorageLayout.tagIndexLink(repository, tag, digest), StorageLayout.link(digest)))
        .compose(v -> driver.write(StorageLayout.tagCurrentLink(repository, tag), StorageLayout.link(digest)))
        .onComplete(v -> cache.invalidateTag(repository.value(), tag.value()));
  }

  /**
   * Deletes a manifest from the repository and untags every tag that pointed at it, as distribution does; answers the
   * tags it removed. Tags go first and the revision last (distribution does the reverse): a delete cut short between
   * the steps (its process killed) then leaves a manifest with fewer tags, which a retry finishes, never a tag naming
   * a manifest that is gone, which a retry would answer as already deleted. The tags are looked at once more after
   * the revision is gone: a push tagging this manifest between the first look and the revision's delete would
   * otherwise leave its tag naming a manifest that is gone.
   */
  public Future<List<String>> deleteManifest(RepositoryName repository, Digest digest) {
    return exists(repository, digest)
        .compose(present -> present ? Future.<Void>succeededFuture()
            : Future.failedFuture(unknown("manifest unknown: " + digest)))
        .compose(v -> untagAll(repository, digest))
        .compose(untagged -> driver.delete(StorageLayout.revisionDirectory(repository, digest)).map(untagged))
        .compose(untagged -> untagAll(repository, digest)
            .map(late -> Stream.concat(untagged.stream(), late.stream()).distinct().toList())
            .recover(failure -> {
              // The manifest is gone: answering a failure now would make the client's retry a 404.
              LOG.warn("manifest deleted, tags pushed meanwhile not looked at [repo: {}, digest: {}]: {}",
                  repository, digest, failure.toString());
              return Future.succeededFuture(untagged);
            }))
        .onComplete(v -> cache.invalidateManifest(repository.value(), digest.toString()));
  }

  /** Removes every tag naming the digest; answers their names. The repository may be gone once its last is. */
  private Future<List<String>> untagAll(RepositoryName repository, Digest digest) {
    return tagDirectories(repository)
        .recover(failure -> failure instanceof PathNotFoundException
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure))
        .compose(tags -> BoundedFanOut.map(tags, tag -> untagIfPointsAt(repository, tag, digest)))
        .map(untagged -> untagged.stream().filter(Objects::nonNull).map(Tag::value).toList());
  }

  /** The tag when it pointed at the digest and is gone, else null. */
  private Future<Tag> untagIfPointsAt(RepositoryName repository, Tag tag, Digest digest) {
    return readLink(StorageLayout.tagCurrentLink(repository, tag), "")
        .compose(current -> current.equals(digest)
            ? driver.delete(StorageLayout.tagDirectory(repository, tag)).map(tag) : Future.<Tag>succeededFuture())
        .recover(failure -> failure instanceof RegistryException
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  public Future<Void> deleteTag(RepositoryName repository, Tag tag) {
    return readLink(StorageLayout.tagCurrentLink(repository, tag), "manifest unknown: tag " + tag)
        .compose(digest -> driver.delete(StorageLayout.tagDirectory(repository, tag)))
        .onComplete(v -> cache.invalidateTag(repository.value(), tag.value()));
  }

  /**
   * Removes the repository's own links and uploads (not repositories nested below its name), so it leaves the
   * catalog; its blobs stay until garbage collection finds nothing else links them. NAME_UNKNOWN when it does
   * not exist.
   */
  public Future<Void> deleteRepository(RepositoryName repository) {
    List<String> contents = StorageLayout.repositoryContents(repository);
    return Future.all(contents.stream().map(path -> driver.stat(path).map(true).recover(failure ->
            failure instanceof PathNotFoundException ? Future.succeededFuture(false) : Future.failedFuture(failure)))
            .toList())
        .compose(found -> found.<Boolean>list().contains(true)
            ? Future.all(contents.stream().map(driver::delete).toList())
            : Future.failedFuture(new RegistryException(ErrorCode.NAME_UNKNOWN,
                "repository name not known to registry: " + repository, repository.value())))
        .<Void>mapEmpty()
        .onComplete(v -> cache.invalidateRepository(repository.value()));
  }

  /**
   * The repository's tags, sorted; NAME_UNKNOWN when the repository does not exist: no directory, or one that holds
   * none of a repository's own entries (only nested repositories, or what a repository delete left), as the catalog
   * decides it. A directory whose name is no tag is none: no request could name it.
   */
  public Future<List<Tag>> tags(RepositoryName repository) {
    return tagDirectories(repository)
        .recover(failure -> {
          if (!(failure instanceof PathNotFoundException)) {
            return Future.failedFuture(failure);
          }
          return driver.list(StorageLayout.repository(repository))
              .compose(entries -> entries.stream().anyMatch(entry -> entry.startsWith("_"))
                  ? Future.succeededFuture(List.<Tag>of()) : Future.failedFuture(new PathNotFoundException("")))
              .recover(missing -> Future.failedFuture(new RegistryException(ErrorCode.NAME_UNKNOWN,
                  "repository name not known to registry: " + repository, repository.value())));
        });
  }

  /** The tags' directories of the repository; a directory whose name is no tag is none. */
  private Future<List<Tag>> tagDirectories(RepositoryName repository) {
    return driver.list(StorageLayout.tags(repository))
        .map(names -> names.stream().filter(Tag::isValid).map(Tag::parse).toList());
  }

  /**
   * The digests of every manifest the repository holds, sha256 then sha512 (a manifest pushed by a sha512 digest);
   * an entry whose name is no digest is none.
   */
  public Future<List<Digest>> revisions(RepositoryName repository) {
    return Future.all(revisions(repository, Digest.SHA256), revisions(repository, Digest.SHA512))
        .map(both -> Stream.concat(both.<List<Digest>>resultAt(0).stream(), both.<List<Digest>>resultAt(1).stream())
            .toList());
  }

  private Future<List<Digest>> revisions(RepositoryName repository, String algorithm) {
    return driver.list(StorageLayout.revisions(repository, algorithm))
        .map(names -> names.stream().filter(hex -> Digest.isValid(algorithm, hex))
            .map(hex -> new Digest(algorithm, hex)).toList())
        .recover(failure -> failure instanceof PathNotFoundException
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure));
  }

  public Future<Buffer> content(Digest digest) {
    return driver.read(StorageLayout.blobData(digest));
  }

  private Future<Digest> readLink(String path, String missingMessage) {
    return driver.read(path)
        .map(StorageLayout::parseLink)
        .recover(failure -> Future.failedFuture(failure instanceof PathNotFoundException
            ? unknown(missingMessage) : failure));
  }

  private static RegistryException unknown(String message) {
    return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, message);
  }
}
