package io.berth.blob.gc;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
  private final Path root;
  private final GcOptions options;
  private final ManifestReader manifests;
  private final GcListener listener;
  private final long startedMillis;

  private final Set<Digest> marked = new HashSet<>();
  private final Map<RepositoryName, List<Digest>> doomed = new LinkedHashMap<>();
  private int repositories;
  private int revisions;

  Marker(Path root, GcOptions options, ManifestReader manifests, GcListener listener, long startedMillis) {
    this.root = root;
    this.options = options;
    this.manifests = manifests;
    this.listener = listener;
    this.startedMillis = startedMillis;
  }

  /** False when {@code stop} asked it to end early: the mark is then incomplete and nothing may be swept. */
  boolean markAll(List<RepositoryName> names, BooleanSupplier stop) throws IOException {
    for (RepositoryName repository : names) {
      if (stop.getAsBoolean()) {
        return false;
      }
      markRepository(repository);
      repositories++;
      listener.marked(repository.value(), repositories, revisions);
    }
    return true;
  }

  private void markRepository(RepositoryName repository) throws IOException {
    Map<Digest, Long> revisionTimes = new LinkedHashMap<>();
    for (Digest digest : StorageWalk.digestsUnder(root, algorithm -> StorageLayout.revisions(repository, algorithm))) {
      Path link = root.resolve(StorageLayout.revisionLink(repository, digest));
      long modified = StorageWalk.modified(link);
      if (modified < 0 && !options.dryRun() && Claim.restoreLeftover(link.getParent(), "link")) {
        modified = StorageWalk.modified(link);
      }
      if (modified >= 0) {
        revisionTimes.put(digest, modified);
      }
    }
    revisions += revisionTimes.size();
    Deque<Digest> roots = new ArrayDeque<>(tagTargets(repository));
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
        doomed.put(repository, untagged);
      }
    }
  }

  private Set<Digest> tagTargets(RepositoryName repository) throws IOException {
    Set<Digest> targets = new HashSet<>();
    for (Tag tag : StorageWalk.tags(root, repository)) {
      try {
        String link = Files.readString(root.resolve(StorageLayout.tagCurrentLink(repository, tag))).trim();
        int colon = link.indexOf(':');
        Digest target = colon < 0 ? null : StorageWalk.digest(link.substring(0, colon), link.substring(colon + 1));
        if (target != null) {
          targets.add(target);
        }
      } catch (NoSuchFileException e) {
        // a tag directory without a current link tags nothing
      }
    }
    return targets;
  }

  /** Keeps and marks each manifest of {@code work} and all it reaches: its blobs, and its children, recursively. */
  private void keep(Deque<Digest> work, Set<Digest> kept) throws IOException {
    while (!work.isEmpty()) {
      Digest digest = work.pop();
      if (!kept.add(digest)) {
        continue;
      }
      marked.add(digest);
      ManifestReferences references = manifests.references(digest);
      marked.addAll(references.blobs());
      work.addAll(references.children());
    }
  }

  /** A referrer lives as long as its subject: revisions whose subject is kept are kept, to a fixed point. */
  private void keepReferrers(Collection<Digest> candidates, Set<Digest> kept) throws IOException {
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Digest candidate : candidates) {
        if (kept.contains(candidate)) {
          continue;
        }
        Digest subject = manifests.references(candidate).subject();
        if (subject != null && kept.contains(subject)) {
          keep(new ArrayDeque<>(List.of(candidate)), kept);
          grew = true;
        }
      }
    }
  }

  /** Marks a doomed manifest found in use after all, with everything it reaches. */
  void markReachable(Digest manifest) throws IOException {
    keep(new ArrayDeque<>(List.of(manifest)), new HashSet<>());
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
