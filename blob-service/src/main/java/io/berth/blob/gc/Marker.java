package io.berth.blob.gc;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The mark phase. Per repository, the kept manifests are the roots (every revision; with {@code deleteUntagged}
 * only the tagged ones and those whose revision link changed within the grace period), everything they reach
 * through index children, and (with {@code deleteUntagged}) every revision whose subject is kept, until nothing
 * changes. Every kept manifest and the blobs it references are marked; the revisions not kept are doomed.
 */
final class Marker {
  private final SyncStorage storage;
  private final GcOptions options;
  private final ManifestReader manifests;
  private final GcListener listener;
  private final long startedMillis;

  private final Set<Digest> marked = new HashSet<>();
  private final Map<RepositoryName, List<Digest>> doomed = new LinkedHashMap<>();
  private int repositories;
  private int revisions;

  Marker(SyncStorage storage, GcOptions options, ManifestReader manifests, GcListener listener, long startedMillis) {
    this.storage = storage;
    this.options = options;
    this.manifests = manifests;
    this.listener = listener;
    this.startedMillis = startedMillis;
  }

  /** False when {@code stop} asked it to end early: the mark is then incomplete and nothing may be swept. */
  boolean markAll(List<LayoutScan.Repository> scanned, BooleanSupplier stop) throws IOException {
    for (LayoutScan.Repository repository : scanned) {
      if (stop.getAsBoolean()) {
        return false;
      }
      markRepository(repository);
      repositories++;
      listener.marked(repository.name.value(), repositories, revisions);
    }
    return true;
  }

  private void markRepository(LayoutScan.Repository repository) throws IOException {
    Map<Digest, Long> revisionTimes = repository.revisions;
    revisions += revisionTimes.size();
    Set<Digest> roots = new LinkedHashSet<>(tagTargets(repository));
    revisionTimes.forEach((digest, modified) -> {
      if (!options.deleteUntagged() || recent(modified)) {
        roots.add(digest);
      }
    });
    Set<Digest> kept = new HashSet<>();
    keep(roots, kept);
    if (options.deleteUntagged()) {
      keepReferrers(revisionTimes.keySet(), kept);
      List<Digest> untagged = revisionTimes.keySet().stream().filter(digest -> !kept.contains(digest)).toList();
      if (!untagged.isEmpty()) {
        doomed.put(repository.name, untagged);
      }
    }
  }

  /** What the repository's tags point at, their current links read side by side; one that is no link tags nothing. */
  private Set<Digest> tagTargets(LayoutScan.Repository repository) throws IOException {
    List<Tag> tags = List.copyOf(repository.tags);
    List<Buffer> links = storage.each(tags,
        tag -> SyncStorage.readOrNull(storage.driver(), StorageLayout.tagCurrentLink(repository.name, tag)));
    Set<Digest> targets = new LinkedHashSet<>();
    for (Buffer link : links) {
      if (link == null) {
        continue;
      }
      try {
        targets.add(StorageLayout.parseLink(link));
      } catch (RegistryException e) {
        // a current link that names no digest tags nothing
      }
    }
    return targets;
  }

  /**
   * Keeps and marks each manifest of {@code work} and all it reaches: its blobs, and its children, recursively. Each
   * level of children is read side by side.
   */
  private void keep(Collection<Digest> work, Set<Digest> kept) throws IOException {
    List<Digest> level = new ArrayList<>(work);
    while (!level.isEmpty()) {
      List<Digest> fresh = level.stream().filter(kept::add).distinct().toList();
      marked.addAll(fresh);
      Map<Digest, ManifestReferences> references = manifests.references(storage, fresh);
      List<Digest> next = new ArrayList<>();
      for (Digest digest : fresh) {
        ManifestReferences reached = references.get(digest);
        marked.addAll(reached.blobs());
        next.addAll(reached.children());
      }
      level = next;
    }
  }

  /** A referrer lives as long as its subject: revisions whose subject is kept are kept, to a fixed point. */
  private void keepReferrers(Collection<Digest> candidates, Set<Digest> kept) throws IOException {
    Map<Digest, ManifestReferences> references = manifests.references(storage,
        candidates.stream().filter(candidate -> !kept.contains(candidate)).toList());
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map.Entry<Digest, ManifestReferences> candidate : references.entrySet()) {
        Digest subject = candidate.getValue().subject();
        if (!kept.contains(candidate.getKey()) && subject != null && kept.contains(subject)) {
          keep(List.of(candidate.getKey()), kept);
          grew = true;
        }
      }
    }
  }

  /** Marks a doomed manifest found in use after all, with everything it reaches. */
  void markReachable(Digest manifest) throws IOException {
    keep(List.of(manifest), new HashSet<>());
  }

  boolean recent(long modifiedMillis) {
    return !options.gracePeriod().isZero() && modifiedMillis > startedMillis - options.gracePeriod().toMillis();
  }

  Set<Digest> marked() {
    return marked;
  }

  Map<RepositoryName, List<Digest>> doomed() {
    return doomed;
  }

  int repositories() {
    return repositories;
  }

  int revisions() {
    return revisions;
  }
}
