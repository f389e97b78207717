package io.berth.launcher.deploy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/** The patterns of a .dockerignore (without {@code !} exceptions, which Berth's does not use). */
final class DockerIgnore {
  private final List<PathMatcher> matchers = new ArrayList<>();

  private DockerIgnore(List<String> patterns) {
    for (String pattern : patterns) {
      matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
      // Docker's ** also matches no directory at all: **/target excludes ./target too.
      if (pattern.startsWith("**/")) {
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)));
      }
    }
  }

  static DockerIgnore read(Path contextRoot) {
    Path file = contextRoot.resolve(".dockerignore");
    if (!Files.isRegularFile(file)) {
      return new DockerIgnore(List.of());
    }
    List<String> patterns = Repo.read(file).lines().map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.startsWith("/") ? line.substring(1) : line)
        .toList();
    if (patterns.stream().anyMatch(pattern -> pattern.startsWith("!"))) {
      throw new AssertionError(".dockerignore: exceptions (!) are not understood by this check");
    }
    return new DockerIgnore(patterns);
  }

  /** Whether the context path (relative to the context root) or a directory above it is left out of the context. */
  boolean excludes(String relative) {
    for (Path path = Path.of(relative).normalize(); path != null; path = path.getParent()) {
      for (PathMatcher matcher : matchers) {
        if (matcher.matches(path)) {
          return true;
        }
      }
    }
    return false;
  }
}
