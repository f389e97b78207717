package io.berth.blob.gc;

import io.berth.common.error.RegistryException;
import io.berth.common.oci.Digest;
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
 * Blocking reads of distribution's layout on a file system for the storage usage walk, which runs on a thread of its
 * own; {@link #digest} also names the digests of the paths the collector walks.
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
