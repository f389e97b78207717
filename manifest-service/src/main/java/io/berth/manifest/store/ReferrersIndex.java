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
 * bounded by count): a read that failed answers "no subject" for that request and is tried again by the next.
 */
public final class ReferrersIndex {
  private static final int MAX_SUMMARIES = 50_000;

  private final ManifestStore store;
  private final Cache<Digest, Summary> summaries = Caffeine.newBuilder().maximumSize(MAX_SUMMARIES)
      .executor(Runnable::run).build();

  /** A manifest as the referrers API describes it; {@code subject} null when it refers to nothing. */
  private record Summary(Digest subject, JsonObject descriptor) {
  }

  public ReferrersIndex(ManifestStore store) {
    this.store = store;
  }

  /**
   * The image index listing the referrers of {@code subject}, of {@code artifactType} only when it is given. The
   * revisions not known yet are read {@link BoundedFanOut#PER_REQUEST} at a time: a repository may hold thousands.
   */
  public Future<JsonObject> referrers(RepositoryName repository, Digest subject, String artifactType) {
    return store.revisions(repository)
        .compose(digests -> BoundedFanOut.map(digests, this::summary))
        .map(all -> new Referrers(all.stream()
            .filter(summary -> subject.equals(summary.subject()))
            .map(Summary::descriptor)
            .filter(descriptor -> artifactType == null || artifactType.equals(descriptor.getString("artifactType")))
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
        .otherwise(new Summary(null, null));
  }

  private static Summary summarize(Digest digest, Buffer content) {
    ParsedManifest parsed;
    try {
      parsed = ManifestParser.parse(null, content);
    } catch (RuntimeException e) {
      return new Summary(null, null);
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
