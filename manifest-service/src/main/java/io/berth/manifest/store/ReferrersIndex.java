package io.berth.manifest.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.berth.common.bus.message.Referrers;
import io.berth.common.concurrent.BoundedFanOut;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.manifest.validate.ManifestParser;
import io.berth.manifest.validate.ParsedManifest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The referrers API over distribution's layout, which has no referrers index: the repository's revisions are
 * listed and each manifest's subject read (once per digest, since manifests never change), so a data directory
 * written by another registry answers correctly too. Only summaries of manifests read are remembered (Caffeine,
 * bounded by weight, since a summary keeps the annotations a pusher chose): a read that failed answers "no subject"
 * for that request and is tried again by the next.
 */
public final class ReferrersIndex {
  /** Some 30,000 summaries of ordinary manifests (about 550 each); one of 1 MiB of annotations weighs 2 MiB. */
  static final long MAX_WEIGHT = 16L * 1024 * 1024;
  private static final int SUMMARY_OVERHEAD = 256;

  private final ManifestStore store;
  private final Cache<Digest, Summary> summaries = Caffeine.newBuilder().maximumWeight(MAX_WEIGHT)
      .<Digest, Summary>weigher((digest, summary) -> summary.weight())
      .executor(Runnable::run).build();

  /**
   * A manifest as the referrers API describes it; {@code subject} null when it refers to nothing. {@code weight}: about
   * the bytes it holds (its descriptor's text, two bytes a character at worst).
   */
  private record Summary(Digest subject, JsonObject descriptor, int weight) {
    static final Summary NONE = new Summary(null, null, SUMMARY_OVERHEAD);

    Summary(Digest subject, JsonObject descriptor) {
      this(subject, descriptor, SUMMARY_OVERHEAD + 2 * descriptor.encode().length());
    }
  }

  public ReferrersIndex(ManifestStore store) {
    this.store = store;
  }

  /**
   * The image index listing the referrers of {@code subject}, of {@code artifactType} only when it is given. The
   * revisions not known yet are read {@link BoundedFanOut#PER_REQUEST} at a time: a repository may hold thousands.
   */
  public Future<JsonObject> referrers(RepositoryName repository, Digest subject, String artifactType) {
    // Each summary is matched as it comes: the others, which the cache may not keep, are not held to the end.
    return store.revisions(repository)
        .compose(digests -> BoundedFanOut.map(digests, digest -> summary(digest)
            .map(summary -> subject.equals(summary.subject()) ? summary.descriptor() : null)))
        .map(all -> new Referrers(all.stream()
            .filter(descriptor -> descriptor != null
                && (artifactType == null || artifactType.equals(descriptor.getString("artifactType"))))
            .toList()).toJson());
  }

  private Future<Summary> summary(Digest digest) {
    Summary known = summaries.getIfPresent(digest);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return store.content(digest)
        .map(content -> summarize(digest, content))
        .onSuccess(summary -> summaries.put(digest, summary))
        .otherwise(Summary.NONE);
  }

  private static Summary summarize(Digest digest, Buffer content) {
    ParsedManifest parsed;
    try {
      parsed = ManifestParser.parse(null, content);
    } catch (RuntimeException e) {
      return Summary.NONE;
    }
    JsonObject descriptor = new JsonObject()
        .put("mediaType", parsed.mediaType())
        .put("digest", digest.toString())
        .put("size", content.length());
    if (parsed.artifactType() != null) {
      descriptor.put("artifactType", parsed.artifactType());
    }
    if (parsed.annotations() != null) {
      descriptor.put("annotations", parsed.annotations());
    }
    return new Summary(parsed.subject(), descriptor);
  }
}
