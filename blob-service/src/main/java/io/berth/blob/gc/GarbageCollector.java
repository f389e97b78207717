package io.berth.blob.gc;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Mark and sweep over distribution's layout (docs/DESIGN.md, "Garbage collection"). Runs on the calling thread with
 * blocking file I/O: the offline command calls it from {@code main}, the online collector from a worker of its own.
 * Every deletion is a {@link Claim}, so a file a request relied on while the collection ran is put back, not lost.
 */
public final class GarbageCollector {
  private final Path root;
  private final GcOptions options;
  private final ManifestReader manifests;
  private final GcListener listener;
  private final BooleanSupplier stopRequested;

  public GarbageCollector(Path root, GcOptions options, ManifestReader manifests, GcListener listener,
      BooleanSupplier stopRequested) {
    this.root = root;
    this.options = options;
    this.manifests = manifests;
    this.listener = listener;
    this.stopRequested = stopRequested;
  }

  /** One collection; a {@link GcException} means it deleted nothing and says why. */
  public GcResult run() throws IOException {
    return new Run().execute();
  }

  private record BlobFile(Digest digest, Path data, long size, long modifiedMillis) {
  }

  private final class Run {
    private final long started = System.currentTimeMillis();
    private final Marker marker = new Marker(root, options, manifests, listener, started);
    private final Set<Digest> eligible = new HashSet<>();
    private final List<GcResult.DeletedManifest> manifestsDeleted = new ArrayList<>();
    private int blobsEligible;
    private long bytesEligible;
    private int manifestsEligible;
    private int layerLinksEligible;
    private int blobsDeleted;
    private long bytesFreed;
    private int layerLinksDeleted;
    private int blobsKept;
    private boolean stopped;

    GcResult execute() throws IOException {
      List<RepositoryName> repositories = StorageWalk.repositories(root);
      if (marker.markAll(repositories, this::stopping)) {
        deleteUntagged();
        Map<Digest, List<RepositoryName>> links = linksToUnmarked(repositories);
        sweepBlobs(links);
        sweepLinks(links);
      }
      return new GcResult(options.dryRun(), marker.repositories(), marker.revisions(), marker.marked().size(),
          blobsEligible, bytesEligible, manifestsEligible, layerLinksEligible, blobsDeleted, bytesFreed,
          List.copyOf(manifestsDeleted), layerLinksDeleted, blobsKept, stopped,
          System.currentTimeMillis() - started);
    }

    private boolean stopping() {
      stopped = stopped || stopRequested.getAsBoolean();
      return stopped;
    }

    /**
     * Removes the revision links of doomed manifests. One whose link changed since the mark (pushed again, or an
     * index pushed meanwhile relied on it) is put back and marked with all it reaches.
     */
    private void deleteUntagged() throws IOException {
      for (Map.Entry<RepositoryName, List<Digest>> entry : marker.doomed().entrySet()) {
        RepositoryName repository = entry.getKey();
        for (Digest digest : entry.getValue()) {
          if (stopping()) {
            return;
          }
          manifestsEligible++;
          listener.manifestEligible(repository.value(), digest);
          if (options.dryRun()) {
            continue;
          }
          Path link = root.resolve(StorageLayout.revisionLink(repository, digest));
          if (Claim.delete(link, modified -> !marker.recent(modified.toMillis()))) {
            Claim.removeIfEmpty(link.getParent());
            removeTagHistory(repository, digest);
            manifestsDeleted.add(new GcResult.DeletedManifest(repository.value(), digest.toString()));
          } else {
            manifestsEligible--;
            marker.markReachable(digest);
          }
        }
      }
    }

    /** distribution keeps each tag's past targets under {@code tags/<tag>/index/}; a deleted manifest leaves them. */
    private void removeTagHistory(RepositoryName repository, Digest digest) throws IOException {
      for (Tag tag : StorageWalk.tags(root, repository)) {
        Path entry = root.resolve(StorageLayout.tagIndexLink(repository, tag, digest));
        Files.deleteIfExists(entry);
        Claim.removeIfEmpty(entry.getParent());
      }
    }

    /**
     * Which repositories link each unmarked digest: those links' times count as the blob's use, too. A link a
     * stopped run left aside is put back first.
     */
    private Map<Digest, List<RepositoryName>> linksToUnmarked(List<RepositoryName> repositories) throws IOException {
      Map<Digest, List<RepositoryName>> links = new TreeMap<>(GarbageCollector::compare);
      for (RepositoryName repository : repositories) {
        for (Digest digest : StorageWalk.digestsUnder(root, algorithm -> StorageLayout.layers(repository, algorithm))) {
          Path link = root.resolve(StorageLayout.layerLink(repository, digest));
          if (!options.dryRun() && Files.notExists(link)) {
            Claim.restoreLeftover(link.getParent(), "link");
          }
          if (!marker.marked().contains(digest)) {
            links.computeIfAbsent(digest, unused -> new ArrayList<>()).add(repository);
          }
        }
      }
      return links;
    }

    private boolean linkedRecently(Digest digest, Map<Digest, List<RepositoryName>> links) throws IOException {
      for (RepositoryName repository : links.getOrDefault(digest, List.of())) {
        if (marker.recent(StorageWalk.modified(root.resolve(StorageLayout.layerLink(repository, digest))))) {
          return true;
        }
      }
      return false;
    }

    private void sweepBlobs(Map<Digest, List<RepositoryName>> links) throws IOException {
      List<BlobFile> unmarked = unmarkedBlobs();
      for (int i = 0; i < unmarked.size() && !stopping(); i++) {
        BlobFile blob = unmarked.get(i);
        listener.swept(i + 1, unmarked.size());
        if (marker.recent(blob.modifiedMillis()) || linkedRecently(blob.digest(), links)) {
          blobsKept++;
          continue;
        }
        blobsEligible++;
        bytesEligible += blob.size();
        eligible.add(blob.digest());
        listener.blobEligible(blob.digest(), blob.size());
        if (options.dryRun()) {
          continue;
        }
        if (Claim.delete(blob.data(), modified -> !marker.recent(modified.toMillis())
            && !linkedRecently(blob.digest(), links))) {
          blobsDeleted++;
          bytesFreed += blob.size();
          Claim.removeIfEmpty(blob.data().getParent());
        } else {
          blobsEligible--;
          bytesEligible -= blob.size();
          eligible.remove(blob.digest());
          blobsKept++;
        }
      }
    }

    /**
     * Every stored blob no mark reached, by digest. Data a stopped run left aside is put back first; directories
     * without data are leftovers and go.
     */
    private List<BlobFile> unmarkedBlobs() throws IOException {
      List<BlobFile> unmarked = new ArrayList<>();
      for (String algorithm : StorageWalk.ALGORITHMS) {
        Path base = root.resolve(StorageLayout.blobs()).resolve(algorithm);
        for (String prefix : StorageWalk.children(base)) {
          for (String hex : StorageWalk.children(base.resolve(prefix))) {
            Digest digest = StorageWalk.digest(algorithm, hex);
            if (digest == null) {
              continue;
            }
            Path data = base.resolve(prefix).resolve(hex).resolve("data");
            BasicFileAttributes attributes = attributes(data);
            if (attributes == null && !options.dryRun() && Claim.restoreLeftover(data.getParent(), "data")) {
              attributes = attributes(data);
            }
            if (attributes == null && !options.dryRun()) {
              Claim.removeIfEmpty(data.getParent());
            } else if (attributes != null && !marker.marked().contains(digest)) {
              unmarked.add(new BlobFile(digest, data, attributes.size(), attributes.lastModifiedTime().toMillis()));
            }
          }
        }
      }
      return unmarked;
    }

    /** Removes the links of repositories to blobs that are gone; a blob stored again meanwhile keeps them. */
    private void sweepLinks(Map<Digest, List<RepositoryName>> links) throws IOException {
      for (Map.Entry<Digest, List<RepositoryName>> entry : links.entrySet()) {
        Digest digest = entry.getKey();
        Path data = root.resolve(StorageLayout.blobData(digest));
        boolean gone = Files.notExists(data) || options.dryRun() && eligible.contains(digest);
        for (RepositoryName repository : gone ? entry.getValue() : List.<RepositoryName>of()) {
          if (stopping()) {
            return;
          }
          sweepLink(repository, digest, data);
        }
      }
    }

    private void sweepLink(RepositoryName repository, Digest digest, Path data) throws IOException {
      Path link = root.resolve(StorageLayout.layerLink(repository, digest));
      long modified = StorageWalk.modified(link);
      if (modified < 0 || marker.recent(modified)) {
        if (modified < 0 && !options.dryRun()) {
          Claim.removeIfEmpty(link.getParent());
        }
        return;
      }
      layerLinksEligible++;
      listener.layerLinkEligible(repository.value(), digest);
      if (options.dryRun()) {
        return;
      }
      if (Claim.delete(link, time -> !marker.recent(time.toMillis()) && Files.notExists(data))) {
        layerLinksDeleted++;
        Claim.removeIfEmpty(link.getParent());
      } else {
        layerLinksEligible--;
      }
    }
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static int compare(Digest a, Digest b) {
    return a.toString().compareTo(b.toString());
  }
}
