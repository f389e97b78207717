package io.berth.blob.usage;

import io.berth.blob.gc.StorageWalk;
import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Walks distribution's layout once (blocking: run it on a worker) and sums what is stored. Its cost is one stat per
 * stored blob and one per repository link, and its memory one entry per repository in the largest {@code top} plus
 * one repository's links at a time, whatever the registry's size: nothing is kept per blob.
 */
public final class UsageWalk {
  private static final Comparator<StorageUsage.RepositoryUsage> BY_BYTES =
      Comparator.comparingLong(StorageUsage.RepositoryUsage::bytes).thenComparing(StorageUsage.RepositoryUsage::name);

  private final Path root;
  private final int top;

  /** {@code top}: how many of the largest repositories to report one by one. */
  public UsageWalk(Path root, int top) {
    this.root = root;
    this.top = top;
  }

  public StorageUsage walk() throws IOException {
    long bytes = 0;
    long blobs = 0;
    for (String algorithm : StorageWalk.ALGORITHMS) {
      Path base = root.resolve(StorageLayout.blobs()).resolve(algorithm);
      for (String prefix : StorageWalk.children(base)) {
        for (String hex : StorageWalk.children(base.resolve(prefix))) {
          long size = size(base.resolve(prefix).resolve(hex).resolve("data"));
          if (size >= 0) {
            bytes += size;
            blobs++;
          }
        }
      }
    }
    PriorityQueue<StorageUsage.RepositoryUsage> largest = new PriorityQueue<>(BY_BYTES);
    int repositories = 0;
    for (String name : StorageWalk.repositoryNames(root)) {
      RepositoryName repository = parse(name);
      if (repository == null) {
        continue;
      }
      repositories++;
      if (top > 0) {
        largest.add(repository(repository));
        if (largest.size() > top) {
          largest.poll();
        }
      }
    }
    List<StorageUsage.RepositoryUsage> ordered = new ArrayList<>(largest);
    ordered.sort(BY_BYTES.reversed());
    return new StorageUsage(bytes, blobs, repositories, ordered);
  }

  /** The stored blobs the repository's layer and manifest links name, each once. */
  private StorageUsage.RepositoryUsage repository(RepositoryName repository) throws IOException {
    Set<Digest> linked = new HashSet<>(
        StorageWalk.digestsUnder(root, algorithm -> StorageLayout.layers(repository, algorithm)));
    linked.addAll(StorageWalk.digestsUnder(root, algorithm -> StorageLayout.revisions(repository, algorithm)));
    long bytes = 0;
    long blobs = 0;
    for (Digest digest : linked) {
      long size = size(root.resolve(StorageLayout.blobData(digest)));
      if (size >= 0) {
        bytes += size;
        blobs++;
      }
    }
    return new StorageUsage.RepositoryUsage(repository.value(), bytes, blobs);
  }

  /** The file's size, or -1 when it is gone (a collection may delete while the walk runs). */
  private static long size(Path file) throws IOException {
    try {
      return Files.size(file);
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  /** A directory that is no valid repository name is served by no request, so it is no repository here. */
  private static RepositoryName parse(String name) {
    try {
      return RepositoryName.parse(name);
    } catch (RegistryException e) {
      return null;
    }
  }
}
