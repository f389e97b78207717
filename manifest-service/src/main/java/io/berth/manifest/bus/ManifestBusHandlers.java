package io.berth.manifest.bus;

import io.berth.common.bus.BusClient;
import io.berth.common.bus.message.Empty;
import io.berth.common.bus.message.GcResult;
import io.berth.common.bus.message.ManifestContent;
import io.berth.common.bus.message.ManifestPut;
import io.berth.common.bus.message.ManifestRequest;
import io.berth.common.bus.message.Page;
import io.berth.common.bus.message.PageRequest;
import io.berth.common.bus.message.ReferrersRequest;
import io.berth.common.bus.message.RepositoryRequest;
import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.berth.common.event.RequestInfo;
import io.berth.common.oci.ContentDigest;
import io.berth.common.oci.Digest;
import io.berth.common.oci.Reference;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Sha256;
import io.berth.common.oci.Tag;
import io.berth.manifest.store.CatalogLister;
import io.berth.manifest.store.ManifestCache;
import io.berth.manifest.store.ManifestStore;
import io.berth.manifest.store.ReferrersIndex;
import io.berth.manifest.validate.ManifestParser;
import io.berth.manifest.validate.ParsedManifest;
import io.berth.manifest.validate.ReferenceChecker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The manifest service's side of the bus contract: one method per address, and the events of what succeeded. */
public final class ManifestBusHandlers {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestBusHandlers.class);

  private final ManifestStore store;
  private final ManifestCache cache;
  private final ReferenceChecker checker;
  private final ReferrersIndex referrers;
  private final CatalogLister catalog;
  private final boolean deleteEnabled;
  private final ManifestEvents events;

  public ManifestBusHandlers(BusClient bus, ManifestStore store, ManifestCache cache, CatalogLister catalog,
      boolean deleteEnabled, ManifestEvents events) {
    this.store = store;
    this.cache = cache;
    this.checker = new ReferenceChecker(bus, store);
    this.referrers = new ReferrersIndex(store);
    this.catalog = catalog;
    this.deleteEnabled = deleteEnabled;
    this.events = events;
  }

  public Future<JsonObject> get(JsonObject body, RequestInfo client) {
    ManifestRequest request = ManifestRequest.fromJson(body);
    RepositoryName repository = RepositoryName.parse(request.repository());
    Reference reference = Reference.parse(request.reference());
    return store.get(repository, reference)
        .onSuccess(manifest -> events.read(client, repository.value(), tagOf(reference), manifest))
        .map(ManifestContent::toJson);
  }

  public Future<JsonObject> put(JsonObject body, RequestInfo client) {
    ManifestPut request = ManifestPut.fromJson(body);
    RepositoryName repository = RepositoryName.parse(request.repository());
    Reference reference = Reference.parse(request.reference());
    Buffer content = request.content();
    if (content.length() > ManifestPut.MAX_CONTENT_BYTES) {
      throw new RegistryException(ErrorCode.MANIFEST_TOO_LARGE,
          "manifest is " + content.length() + " bytes; the limit is " + ManifestPut.MAX_CONTENT_BYTES);
    }
    ParsedManifest manifest = ManifestParser.parse(request.contentType(), content);
    // A manifest pushed by digest is named by that digest's algorithm (sha512 too), as the conformance suite expects;
    // one pushed by tag by the canonical sha256.
    Digest digest = reference.isDigest() ? ContentDigest.of(reference.digest().algorithm(), content)
        : Sha256.of(content);
    if (reference.isDigest() && !reference.digest().equals(digest)) {
      throw new RegistryException(ErrorCode.DIGEST_INVALID,
          "manifest digest " + digest + " does not match " + reference.digest(), reference.toString());
    }
    return checker.check(repository, manifest)
        .compose(v -> store.put(repository, digest, content, reference.tag()))
        .map(v -> {
          LOG.debug("manifest stored [repo: {}, reference: {}, digest: {}]", repository, reference, digest);
          events.pushed(client, repository.value(), tagOf(reference), digest.toString(), manifest.mediaType(),
              content.length(), manifest.references());
          String subject = manifest.subject() == null ? null : manifest.subject().toString();
          return new ManifestContent(digest.toString(), manifest.mediaType(), Buffer.buffer(), subject).toJson();
        });
  }

  public Future<JsonObject> delete(JsonObject body, RequestInfo client) {
    if (!deleteEnabled) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "deletion is disabled (storage.delete.enabled)");
    }
    ManifestRequest request = ManifestRequest.fromJson(body);
    RepositoryName repository = RepositoryName.parse(request.repository());
    Reference reference = Reference.parse(request.reference());
    Future<Void> deleted = reference.isDigest()
        ? store.deleteManifest(repository, reference.digest())
            .onSuccess(untagged -> events.deleted(client, repository.value(), reference.digest().toString(), untagged))
            .mapEmpty()
        : store.deleteTag(repository, reference.tag())
            .onSuccess(v -> events.tagDeleted(client, repository.value(), reference.tag().value()));
    return deleted.map(v -> new Empty().toJson());
  }

  /** Berth's repository delete (distribution has none): the repository's links go, GC reclaims its blobs. */
  public Future<JsonObject> deleteRepository(JsonObject body) {
    if (!deleteEnabled) {
      throw new RegistryException(ErrorCode.UNSUPPORTED, "deletion is disabled (storage.delete.enabled)");
    }
    RepositoryName repository = RepositoryRequest.fromJson(body).repository();
    return store.deleteRepository(repository).map(v -> {
      LOG.info("repository deleted [repo: {}]", repository);
      return new Empty().toJson();
    });
  }

  public Future<JsonObject> tags(JsonObject body) {
    PageRequest request = PageRequest.fromJson(body);
    RepositoryName repository = RepositoryName.parse(request.repository());
    return store.tags(repository)
        .map(tags -> Page.of(tags.stream().map(Tag::value).toList(), request.n(), request.last()).toJson());
  }

  public Future<JsonObject> catalog(JsonObject body) {
    PageRequest request = PageRequest.fromJson(body);
    return catalog.repositories().map(names -> Page.of(names, request.n(), request.last()).toJson());
  }

  public Future<JsonObject> referrers(JsonObject body) {
    ReferrersRequest request = ReferrersRequest.fromJson(body);
    return referrers.referrers(RepositoryName.parse(request.repository()), Digest.parse(request.digest()),
        request.artifactType());
  }

  /** The tag a reference names, for the events: null for a digest. */
  private static String tagOf(Reference reference) {
    return reference.isDigest() ? null : reference.tag().value();
  }

  /**
   * The online garbage collector (a blob-service verticle, not the store) deleted untagged manifests: forget them.
   * Its report comes after the deletion, so a read in between may still answer one; it was unreferenced anyway.
   */
  public void collected(Message<JsonObject> message) {
    GcResult result;
    try {
      result = GcResult.fromJson(message.body());
    } catch (RuntimeException e) {
      LOG.warn("not a garbage collection report, ignored [address: {}]: {}", message.address(), e.getMessage());
      return;
    }
    for (GcResult.DeletedManifest manifest : result.manifestsDeleted()) {
      cache.invalidateManifest(manifest.repository(), manifest.digest());
    }
  }
}
