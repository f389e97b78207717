package io.berth.blob.gc;

import io.berth.common.bus.message.GcResult;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriver.FileInfo;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Mark and sweep over distribution's layout (docs/DESIGN.md, "Garbage collection"), through the storage driver, so
 * the same verdict holds on a file system and on S3. Runs on the calling thread, which waits for each storage call
 * and must not be an event loop: the offline command calls it from {@code main}, the online collector from a worker
 * of its own; the calls themselves start on {@code context}. Every deletion is a {@link StorageDriver#claim}, so a
 * file a request relied on while the collection ran is kept, not lost.
 */
public final class GarbageCollector {
  private final SyncStorage storage;
  private final GcOptions options;
  private final ManifestReader manifests;
  private final GcListener listener;
  private final BooleanSupplier stopRequested;

  public GarbageCollector(StorageDriver driver, Context context, GcOptions options, ManifestReader manifests,
      GcListener listener, BooleanSupplier stopRequested) {
    this.storage = new SyncStorage(driver, context);
    this.options = options;
    this.manifests = manifests;
    this.listener = listener;
    this.stopRequested = stopRequested;
  }

  /** One collection; a {@link GcException} means it deleted nothing and says why. */
  public GcResult run() throws IOException {
    return new Run().execute();
  }

  private record BlobFile(Digest digest, String data, long size, long modifiedMillis) {
  }

  private final class Run {
    private final long started = System.currentTimeMillis();
    private final Marker marker = new Marker(storage, options, manifests, listener, started);
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
      List<LayoutScan.Repository> repositories = LayoutScan.of(storage, options.dryRun()).repositories();
      if (marker.markAll(repositories, this::stopping)) {
        deleteUntagged(repositories);
        Map<Digest, Map<RepositoryName, Long>> links = linksToUnmarked(repositories);
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

    private Future<Boolean> notRecent(long modifiedMillis) {
      return Future.succeededFuture(!marker.recent(modifiedMillis));
    }

    /**
     * Removes the revision links of doomed manifests. One whose link changed since the mark (pushed again, or an
     * index pushed meanwhile relied on it) is kept and marked with all it reaches.
     */
    private void deleteUntagged(List<LayoutScan.Repository> repositories) throws IOException {
      Map<RepositoryName, LayoutScan.Repository> byName = new LinkedHashMap<>();
      repositories.forEach(repository -> byName.put(repository.name, repository));
      for (Map.Entry<RepositoryName, List<Digest>> entry : marker.doomed().entrySet()) {
        LayoutScan.Repository repository = byName.get(entry.getKey());
        for (Digest digest : entry.getValue()) {
          if (stopping()) {
            return;
          }
          manifestsEligible++;
          listener.manifestEligible(repository.name.value(), digest);
          if (options.dryRun()) {
            continue;
          }
          if (storage.claim(StorageLayout.revisionLink(repository.name, digest), this::notRecent)) {
            removeTagHistory(repository, digest);
            manifestsDeleted.add(new GcResult.DeletedManifest(repository.name.value(), digest.toString()));
          } else {
            manifestsEligible--;
            marker.markReachable(digest);
          }
        }
      }
    }

    /** distribution keeps each tag's past targets under {@code tags/<tag>/index/}; a deleted manifest leaves them. */
    private void removeTagHistory(LayoutScan.Repository repository, Digest digest) throws IOException {
      for (Tag tag : repository.tagHistory.getOrDefault(digest, List.of())) {
        String link = StorageLayout.tagIndexLink(repository.name, tag, digest);
        storage.delete(link.substring(0, link.lastIndexOf('/')));
      }
    }

    /** Which repositories link each unmarked digest, with the link's time: those times count as the blob's use too. */
    private Map<Digest, Map<RepositoryName, Long>> linksToUnmarked(List<LayoutScan.Repository> repositories) {
      Map<Digest, Map<RepositoryName, Long>> links = new TreeMap<>(GarbageCollector::compare);
      for (LayoutScan.Repository repository : repositories) {
        repository.layers.forEach((digest, modified) -> {
          if (!marker.marked().contains(digest)) {
            links.computeIfAbsent(digest, unused -> new LinkedHashMap<>()).put(repository.name, modified);
          }
        });
      }
      return links;
    }

    /** Whether a link to the blob changed within the grace period, as the scan saw the links. */
    private boolean linkedRecently(Digest digest, Map<Digest, Map<RepositoryName, Long>> links) {
      return links.getOrDefault(digest, Map.of()).values().stream().anyMatch(marker::recent);
    }

    /** The same, asked of the storage again: a claim's second judgement must see a link refreshed since the scan. */
    private Future<Boolean> linkedRecentlyNow(Digest digest, Map<Digest, Map<RepositoryName, Long>> links) {
      List<Future<Boolean>> recent = new ArrayList<>();
      for (RepositoryName repository : links.getOrDefault(digest, Map.of()).keySet()) {
        recent.add(SyncStorage.orNull(storage.driver().stat(StorageLayout.layerLink(repository, digest)))
            .map(stat -> stat != null && marker.recent(stat.modifiedMillis())));
      }
      return Future.all(recent).map(all -> recent.stream().anyMatch(Future::result));
    }

    private void sweepBlobs(Map<Digest, Map<RepositoryName, Long>> links) throws IOException {
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
        if (storage.claim(blob.data(), modified -> marker.recent(modified) ? Future.succeededFuture(false)
            : linkedRecentlyNow(blob.digest(), links).map(recent -> !recent))) {
          blobsDeleted++;
          bytesFreed += blob.size();
        } else {
          blobsEligible--;
          bytesEligible -= blob.size();
          eligible.remove(blob.digest());
          blobsKept++;
        }
      }
    }

    /** Every stored blob no mark reached, by digest. Data a stopped run left aside is put back first. */
    private List<BlobFile> unmarkedBlobs() throws IOException {
      Map<Digest, BlobFile> unmarked = new TreeMap<>(GarbageCollector::compare);
      List<FileInfo> leftovers = new ArrayList<>();
      storage.walk(StorageLayout.blobs(), page -> {
        for (FileInfo file : page) {
          Digest digest = blobOf(file.path());
          if (digest == null) {
            continue;
          }
          String data = StorageLayout.blobData(digest);
          if (LayoutScan.isLeftover(file.path()) && !options.dryRun()) {
            leftovers.add(file);
          } else if (file.path().equals(data) && !marker.marked().contains(digest)) {
            unmarked.put(digest, new BlobFile(digest, data, file.size(), file.modifiedMillis()));
          }
        }
      });
      for (FileInfo leftover : leftovers) {
        Digest digest = blobOf(leftover.path());
        String data = StorageLayout.blobData(digest);
        LayoutScan.putBack(storage, leftover, data);
        if (!marker.marked().contains(digest)) {
          unmarked.putIfAbsent(digest, new BlobFile(digest, data, leftover.size(), leftover.modifiedMillis()));
        }
      }
      return List.copyOf(unmarked.values());
    }

    /** Removes the links of repositories to blobs that are gone; a blob stored again meanwhile keeps them. */
    private void sweepLinks(Map<Digest, Map<RepositoryName, Long>> links) throws IOException {
      for (Map.Entry<Digest, Map<RepositoryName, Long>> entry : links.entrySet()) {
        Digest digest = entry.getKey();
        String data = StorageLayout.blobData(digest);
        boolean gone = !storage.exists(data) || options.dryRun() && eligible.contains(digest);
        for (RepositoryName repository : gone ? entry.getValue().keySet() : Set.<RepositoryName>of()) {
          if (stopping()) {
            return;
          }
          sweepLink(repository, digest, data);
        }
      }
    }

    private void sweepLink(RepositoryName repository, Digest digest, String data) throws IOException {
      String link = StorageLayout.layerLink(repository, digest);
      StorageDriver.FileStat stat = storage.stat(link);
      if (stat == null || marker.recent(stat.modifiedMillis())) {
        return;
      }
      layerLinksEligible++;
      listener.layerLinkEligible(repository.value(), digest);
      if (options.dryRun()) {
        return;
      }
      if (storage.claim(link, modified -> marker.recent(modified) ? Future.succeededFuture(false)
          : SyncStorage.orNull(storage.driver().stat(data)).map(blob -> blob == null))) {
        layerLinksDeleted++;
      } else {
        layerLinksEligible--;
      }
    }
  }

  /** The digest a file below {@code blobs/<algorithm>/<2 hex>/<hex>/} belongs to, or null. */
  private static Digest blobOf(String path) {
    String[] parts = path.substring(StorageLayout.blobs().length() + 1).split("/");
    if (parts.length != 4) {
      return null;
    }
    Digest digest = StorageWalk.digest(parts[0], parts[2]);
    return digest != null && path.startsWith(StorageLayout.blobDirectory(digest) + "/") ? digest : null;
  }

  private static int compare(Digest a, Digest b) {
    return a.toString().compareTo(b.toString());
  }
}
