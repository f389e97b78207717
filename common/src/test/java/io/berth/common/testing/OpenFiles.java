package io.berth.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** This process's open file descriptors, from {@code /proc/self/fd} (Linux): how a test sees a file left open. */
public final class OpenFiles {
  private static final Path DESCRIPTORS = Path.of("/proc/self/fd");

  private OpenFiles() {
  }

  /** How many descriptors this process holds, of any kind. */
  public static long total() {
    try (Stream<Path> descriptors = Files.list(DESCRIPTORS)) {
      return descriptors.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The files under {@code directory} this process holds open, one entry per descriptor. */
  public static List<Path> under(Path directory) {
    try (Stream<Path> descriptors = Files.list(DESCRIPTORS)) {
      Path real = directory.toRealPath();
      List<Path> open = new ArrayList<>();
      for (Path descriptor : descriptors.toList()) {
        try {
          Path target = Files.readSymbolicLink(descriptor);
          if (target.startsWith(real)) {
            open.add(target);
          }
        } catch (IOException closedSinceListed) {
          // closed since the listing (the listing's own descriptor among them): not open now
        }
      }
      return open;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
