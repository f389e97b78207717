package io.berth.blob.gc;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Deletes a file the collector judged garbage without racing the registry. The file is first renamed aside (one
 * atomic step: from then on no request can find it, refresh its time or rely on it), then judged again by the
 * renamed file's modification time: a request that relied on it just before the rename refreshed that time, and
 * then the file is put back instead of deleted.
 */
final class Claim {
  static final String PREFIX = ".gc-";

  private Claim() {
  }

  /** The second judgement, on the claimed file's modification time; it may look at other files too. */
  interface Judgement {
    boolean stillGarbage(FileTime modified) throws IOException;
  }

  /** True when the file was deleted; false when it was missing or {@code judgement} spared it (it was put back). */
  static boolean delete(Path file, Judgement judgement) throws IOException {
    Path aside = file.resolveSibling(PREFIX + UUID.randomUUID());
    try {
      Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;
    }
    boolean garbage;
    try {
      garbage = judgement.stillGarbage(Files.getLastModifiedTime(aside));
    } catch (IOException | RuntimeException e) {
      restore(aside, file);
      throw e;
    }
    if (!garbage) {
      restore(aside, file);
      return false;
    }
    Files.delete(aside);
    return true;
  }

  /**
   * Puts a claimed file back unless a request stored a new copy meanwhile (same content, by its digest): a hard
   * link cannot replace an existing file, where a rename would.
   */
  static void restore(Path aside, Path file) throws IOException {
    try {
      Files.createLink(file, aside);
    } catch (FileAlreadyExistsException e) {
      // the new copy stays
    } catch (UnsupportedOperationException | FileSystemException e) {
      try {
        Files.move(aside, file);
      } catch (FileAlreadyExistsException exists) {
        // the new copy stays
      }
    }
    Files.deleteIfExists(aside);
  }

  /** Puts back what a collection that stopped half-way left renamed aside in {@code directory}; true if it did. */
  static boolean restoreLeftover(Path directory, String name) throws IOException {
    List<Path> leftovers;
    try (Stream<Path> children = Files.list(directory)) {
      leftovers = children.filter(child -> child.getFileName().toString().startsWith(PREFIX)).toList();
    } catch (NoSuchFileException e) {
      return false;
    }
    for (Path leftover : leftovers) {
      restore(leftover, directory.resolve(name));
    }
    return !leftovers.isEmpty();
  }

  /** Removes a directory the collector emptied; one a request has written into meanwhile stays. */
  static void removeIfEmpty(Path directory) throws IOException {
    try {
      Files.deleteIfExists(directory);
    } catch (DirectoryNotEmptyException e) {
      // in use again
    }
  }
}
