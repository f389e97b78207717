package io.berth.blob.gc;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
import io.berth.common.oci.RepositoryName;
import io.berth.common.oci.Tag;
import io.berth.common.storage.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Blocking reads of distribution's layout for the collector and the storage usage walk, which run on threads of
 * their own.
 */
public final class StorageWalk {
  public static final List<String> ALGORITHMS = List.of(Digest.SHA256, Digest.SHA512);

  private StorageWalk() {
  }

  /** A directory's entries, sorted, without hidden ones (temporary files, files claimed by a collection). */
  public static List<String> children(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(entry -> entry.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted()
          .toList();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
  }

  /** Milliseconds since the epoch the file last changed, or -1 when it is missing. */
  static long modified(Path file) throws IOException {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (NoSuchFileException e) {
      return -1;
    }
  }

  /**
   * Every repository, as distribution's catalog finds them: a directory under {@code repositories/} with an entry
   * whose name starts with an underscore. A name that is no valid repository name stops the collection (as in
   * distribution): its manifests would otherwise go unmarked.
   */
  static List<RepositoryName> repositories(Path root) throws IOException {
    List<RepositoryName> repositories = new ArrayList<>();
    for (String name : repositoryNames(root)) {
      try {
        repositories.add(RepositoryName.parse(name));
      } catch (RegistryException e) {
        throw new GcException("repository directory " + name + " is no valid repository name; move it out of "
            + StorageLayout.REPOSITORIES);
      }
    }
    return repositories;
  }

  /** The names of every repository directory, as distribution's catalog finds them, whether valid names or not. */
  public static List<String> repositoryNames(Path root) throws IOException {
    List<String> names = new ArrayList<>();
    collect(root.resolve(StorageLayout.REPOSITORIES), "", names);
    return names;
  }

  private static void collect(Path directory, String name, List<String> names) throws IOException {
    List<String> entries = children(directory);
    if (!name.isEmpty() && entries.stream().anyMatch(entry -> entry.startsWith("_"))) {
      names.add(name);
    }
    for (String entry : entries) {
      if (!entry.startsWith("_") && Files.isDirectory(directory.resolve(entry))) {
        collect(directory.resolve(entry), name.isEmpty() ? entry : name + "/" + entry, names);
      }
    }
  }

  /**
   * The repository's tags. A tag directory whose name is no valid tag stops the collection, as a repository's does:
   * what it tags would otherwise go unmarked.
   */
  static List<Tag> tags(Path root, RepositoryName repository) throws IOException {
    List<Tag> tags = new ArrayList<>();
    for (String name : children(root.resolve(StorageLayout.tags(repository)))) {
      if (!Tag.isValid(name)) {
        throw new GcException("tag directory " + name + " of " + repository + " is no valid tag; move it out of "
            + StorageLayout.tags(repository));
      }
      tags.add(Tag.parse(name));
    }
    return tags;
  }

  /** The digests named by the entries of {@code <base>/<algorithm>/}, for each algorithm; other names are skipped. */
  public static List<Digest> digestsUnder(Path root, Function<String, String> base) throws IOException {
    List<Digest> digests = new ArrayList<>();
    for (String algorithm : ALGORITHMS) {
      for (String hex : children(root.resolve(base.apply(algorithm)))) {
        Digest digest = digest(algorithm, hex);
        if (digest != null) {
          digests.add(digest);
        }
      }
    }
    return digests;
  }

  public static Digest digest(String algorithm, String hex) {
    try {
      return Digest.parse(algorithm + ":" + hex);
    } catch (RegistryException e) {
      return null;
    }
  }
}
