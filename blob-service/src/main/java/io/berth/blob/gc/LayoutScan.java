package io.berth.blob.gc;

import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.StorageDriver;
import io.berth.common.storage.StorageDriver.FileInfo;
import io.berth.common.storage.StorageLayout;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What one walk of {@code repositories/} finds, per repository (distribution's catalog rule: a directory with an
 * entry starting with an underscore): its revision links, tags and tag history entries, and its layer links, each
 * with its time. A file is taken for what the layout says it is only when {@link StorageLayout} builds exactly its
 * path from the identifiers its path names; anything else is none of the collector's business. Files a claim set
 * aside and a stopped run left there are put back before anything is judged (not on a dry run, which changes
 * nothing).
 */
final class LayoutScan {
  /** One repository's files: digests with their link's time, tags with a current link, and tag history. */
  static final class Repository {
    final RepositoryName name;
    final Map<Digest, Long> revisions = new LinkedHashMap<>();
    final Set<Tag> tags = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
    final Map<Digest, List<Tag>> tagHistory = new LinkedHashMap<>();
    final Map<Digest, Long> layers = new LinkedHashMap<>();

    Repository(RepositoryName name) {
      this.name = name;
    }
  }

  private record Leftover(FileInfo file, String target, Runnable found) {
  }

  private final Map<String, Repository> repositories = new TreeMap<>();
  private final List<Leftover> leftovers = new ArrayList<>();
  private String invalid;

  private LayoutScan() {
  }

  /** Stops with a {@link GcException} at a repository or tag name the collector cannot follow. */
  static LayoutScan of(SyncStorage storage, boolean dryRun) throws IOException {
    LayoutScan scan = new LayoutScan();
    storage.walk(StorageLayout.REPOSITORIES, page -> page.forEach(scan::add));
    if (scan.invalid != null) {
      throw new GcException(scan.invalid);
    }
    if (!dryRun) {
      for (Leftover leftover : scan.leftovers) {
        putBack(storage, leftover.file(), leftover.target());
        leftover.found().run();
      }
    }
    return scan;
  }

  List<Repository> repositories() {
    return List.copyOf(repositories.values());
  }

  /** Puts a file a claim set aside back where it was, unless a request stored a new copy there meanwhile. */
  static void putBack(SyncStorage storage, FileInfo leftover, String target) throws IOException {
    if (storage.exists(target)) {
      storage.delete(leftover.path());
    } else {
      storage.move(leftover.path(), target);
    }
  }

  /** The name of the file, when it is one a claim set aside. */
  static boolean isLeftover(String path) {
    return path.substring(path.lastIndexOf('/') + 1).startsWith(StorageDriver.CLAIM_PREFIX);
  }

  private void add(FileInfo file) {
    String[] parts = file.path().substring(StorageLayout.REPOSITORIES.length() + 1).split("/");
    int own = 0;
    while (own < parts.length && !parts[own].startsWith("_")) {
      if (parts[own].startsWith(".")) {
        return;
      }
      own++;
    }
    if (own == 0 || own == parts.length) {
      return;
    }
    String name = String.join("/", Arrays.copyOfRange(parts, 0, own));
    if (!RepositoryName.isValid(name)) {
      invalid = "repository directory " + name + " is no valid repository name; move it out of "
          + StorageLayout.REPOSITORIES;
      return;
    }
    Repository repository = repositories.computeIfAbsent(name, n -> new Repository(RepositoryName.parse(n)));
    String[] rest = Arrays.copyOfRange(parts, own, parts.length);
    if (rest.length == 5 && rest[0].equals("_manifests") && rest[1].equals("revisions")) {
      linkOrLeftover(file, rest, digest -> StorageLayout.revisionLink(repository.name, digest), repository.revisions);
    } else if (rest.length == 4 && rest[0].equals("_layers")) {
      linkOrLeftover(file, rest, digest -> StorageLayout.layerLink(repository.name, digest), repository.layers);
    } else if (rest.length >= 3 && rest[0].equals("_manifests") && rest[1].equals("tags")) {
      tagFile(file, repository, Arrays.copyOfRange(rest, 2, rest.length));
    }
  }

  /** {@code <algorithm>/<hex>/link} (the last three parts of {@code rest}) or a claimed file in its place. */
  private void linkOrLeftover(FileInfo file, String[] rest, Function<Digest, String> layout,
      Map<Digest, Long> found) {
    Digest digest = StorageWalk.digest(rest[rest.length - 3], rest[rest.length - 2]);
    if (digest == null) {
      return;
    }
    String link = layout.apply(digest);
    if (file.path().equals(link)) {
      found.merge(digest, file.modifiedMillis(), Math::max);
    } else if (isLeftover(file.path()) && (link.substring(0, link.lastIndexOf('/') + 1)
        + file.path().substring(file.path().lastIndexOf('/') + 1)).equals(file.path())) {
      leftovers.add(new Leftover(file, link, () -> found.merge(digest, file.modifiedMillis(), Math::max)));
    }
  }

  /**
   * Below {@code tags/<tag>/}: {@code current/link} makes it a tag, {@code index/<alg>/<hex>/link} is its history.
   * A tag directory whose name is no valid tag stops the collection, as a repository's does: what it tags would
   * otherwise go unmarked.
   */
  private void tagFile(FileInfo file, Repository repository, String[] below) {
    String name = below[0];
    if (name.startsWith(".")) {
      return;
    }
    if (!Tag.isValid(name)) {
      invalid = "tag directory " + name + " of " + repository.name + " is no valid tag; move it out of "
          + StorageLayout.tags(repository.name);
      return;
    }
    Tag tag = Tag.parse(name);
    if (file.path().equals(StorageLayout.tagCurrentLink(repository.name, tag))) {
      repository.tags.add(tag);
    } else if (below.length == 5 && below[1].equals("index")) {
      Digest digest = StorageWalk.digest(below[2], below[3]);
      if (digest != null && file.path().equals(StorageLayout.tagIndexLink(repository.name, tag, digest))) {
        repository.tagHistory.computeIfAbsent(digest, d -> new ArrayList<>()).add(tag);
      }
    }
  }
}
