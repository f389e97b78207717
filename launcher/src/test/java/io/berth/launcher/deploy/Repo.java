package io.berth.launcher.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository the deploy files live in, and names of its files as messages should show them. */
final class Repo {
  static final Path ROOT = locate();
  private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

  private Repo() {
  }

  private static Path locate() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("deploy/Dockerfile"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no deploy/Dockerfile above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path file(String relative) {
    return ROOT.resolve(relative);
  }

  /** {@code deploy/compose.yaml} rather than an absolute path, so a message reads like the repository. */
  static String name(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    return absolute.startsWith(ROOT) ? ROOT.relativize(absolute).toString() : absolute.toString();
  }

  static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The modules of the root pom: what a build from sources needs besides the root pom itself. */
  static List<String> modules() {
    List<String> modules = new ArrayList<>();
    Matcher matcher = MODULE.matcher(read(file("pom.xml")));
    while (matcher.find()) {
      modules.add(matcher.group(1).trim());
    }
    return modules;
  }
}
