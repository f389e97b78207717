package io.berth.blob.usage;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.storage.PathNotFoundException;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageLayout;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * Walks distribution's layout once through the storage driver, so on any storage (a file system, an S3 bucket with
 * its listings paginated), and sums what is stored. Its cost is one stat per stored blob and one per repository link
 * (on S3, a HEAD each), made one after the other so that a walk never competes much with requests; its memory is one
 * entry per repository in the largest {@code top}, one directory listing and one repository's links at a time,
 * whatever the registry's size: nothing is kept per blob. Call it from one context: a walk's state is not shared.
 */
public final class UsageWalk {
  private static final List<String> ALGORITHMS = List.of(Digest.SHA256, Digest.SHA512);
  private static final Comparator<StorageUsage.RepositoryUsage> BY_BYTES =
      Comparator.comparingLong(StorageUsage.RepositoryUsage::bytes).thenComparing(StorageUsage.RepositoryUsage::name);

  private final StorageDriver driver;
  private final int top;

  /** {@code top}: how many of the largest repositories to report one by one. */
  public UsageWalk(StorageDriver driver, int top) {
    this.driver = driver;
    this.top = top;
  }

  public Future<StorageUsage> walk() {
    Totals blobs = new Totals();
    Repositories repositories = new Repositories();
    return each(ALGORITHMS, algorithm -> {
      String base = StorageLayout.blobs() + "/" + algorithm;
      return children(base).compose(prefixes -> each(prefixes, prefix -> children(base + "/" + prefix)
          .compose(hexes -> each(hexes, hex -> blobs.add(base + "/" + prefix + "/" + hex + "/data")))));
    }).compose(v -> repositories.walk(StorageLayout.REPOSITORIES, "")).map(v -> {
      List<StorageUsage.RepositoryUsage> ordered = new ArrayList<>(repositories.largest);
      ordered.sort(BY_BYTES.reversed());
      return new StorageUsage(blobs.bytes, blobs.count, repositories.count, ordered);
    });
  }

  /** The bytes and number of the stored files added. */
  private final class Totals {
    private long bytes;
    private long count;

    /** A file that is gone (a collection may delete while the walk runs) adds nothing. */
    Future<Void> add(String path) {
      return driver.stat(path).<Void>map(stat -> {
        if (!stat.directory()) {
          bytes += stat.size();
          count++;
        }
        return null;
      }).recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture()
          : Future.failedFuture(failure));
    }
  }

  private final class Repositories {
    private final PriorityQueue<StorageUsage.RepositoryUsage> largest = new PriorityQueue<>(BY_BYTES);
    private int count;

    /**
     * Every repository, as distribution's catalog finds them: a directory under {@code repositories/} with an entry
     * whose name starts with an underscore; every other entry is one more name component.
     */
    Future<Void> walk(String path, String name) {
      return children(path).compose(entries -> {
        Future<Void> own = !name.isEmpty() && entries.stream().anyMatch(entry -> entry.startsWith("_"))
            ? repository(name) : Future.succeededFuture();
        return own.compose(v -> each(entries, entry -> entry.startsWith("_") ? Future.succeededFuture()
            : walk(path + "/" + entry, name.isEmpty() ? entry : name + "/" + entry)));
      });
    }

    /** A directory that is no valid repository name is served by no request, so it is no repository here. */
    private Future<Void> repository(String name) {
      RepositoryName repository;
      try {
        repository = RepositoryName.parse(name);
      } catch (RegistryException e) {
        return Future.succeededFuture();
      }
      count++;
      if (top <= 0) {
        return Future.succeededFuture();
      }
      return usage(repository).map(usage -> {
        largest.add(usage);
        if (largest.size() > top) {
          largest.poll();
        }
        return null;
      });
    }

    /** The stored blobs the repository's layer and manifest links name, each once. */
    private Future<StorageUsage.RepositoryUsage> usage(RepositoryName repository) {
      Set<Digest> linked = new HashSet<>();
      Totals totals = new Totals();
      return digestsUnder(algorithm -> StorageLayout.layers(repository, algorithm), linked)
          .compose(v -> digestsUnder(algorithm -> StorageLayout.revisions(repository, algorithm), linked))
          .compose(v -> each(List.copyOf(linked), digest -> totals.add(StorageLayout.blobData(digest))))
          .map(v -> new StorageUsage.RepositoryUsage(repository.value(), totals.bytes, totals.count));
    }
  }

  /** The digests named by the entries of {@code <base>/<algorithm>/}, for each algorithm; other names are skipped. */
  private Future<Void> digestsUnder(Function<String, String> base, Set<Digest> into) {
    return each(ALGORITHMS, algorithm -> children(base.apply(algorithm)).map(entries -> {
      for (String hex : entries) {
        try {
          into.add(Digest.parse(algorithm + ":" + hex));
        } catch (RegistryException e) {
          // An entry that names no digest links nothing.
        }
      }
      return null;
    }));
  }

  /**
   * A directory's entries without hidden ones (temporary files, files claimed by a collection); none when it is
   * missing or vanished meanwhile.
   */
  private Future<List<String>> children(String path) {
    return driver.list(path)
        .map(entries -> entries.stream().filter(entry -> !entry.startsWith(".")).toList())
        .recover(failure -> failure instanceof PathNotFoundException ? Future.succeededFuture(List.of())
            : Future.failedFuture(failure));
  }

  private static <T> Future<Void> each(List<T> items, Function<T, Future<Void>> action) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) {
      chain = chain.compose(v -> action.apply(item));
    }
    return chain;
  }
}
