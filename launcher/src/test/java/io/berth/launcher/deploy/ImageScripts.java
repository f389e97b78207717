package io.berth.launcher.deploy;

import io.berth.common.testing.ChildProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The image's ENTRYPOINT and its {@code registry} command, the repository's own scripts (the files the Dockerfile
 * copies to those paths), run on this host as a container would run them, with a {@code java} on the PATH that prints
 * its arguments instead of starting: what a container ends up executing, without a container engine.
 */
final class ImageScripts {
  /** Where the image installs the {@code registry} command (on the image's PATH). */
  static final String REGISTRY = "/usr/local/bin/registry";

  private final Dockerfile image;
  private final Path bin;

  /** {@code scratch} receives a directory with the fake {@code java} and the image's {@code registry}. */
  ImageScripts(Dockerfile image, Path scratch) {
    this.image = image;
    try {
      bin = Files.createDirectories(scratch.resolve("image-bin"));
      Path java = bin.resolve("java");
      Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' java \"$@\"\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path registry = bin.resolve("registry");
      Files.deleteIfExists(registry);
      Files.createSymbolicLink(registry, repositoryFile(REGISTRY));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository file the image's COPY puts at {@code path}. */
  Path repositoryFile(String path) {
    return ComposeFile.imageFile(image, path, Repo.name(image.file));
  }

  Path bin() {
    return bin;
  }

  /** What a container given {@code command} (or the image's CMD when null) runs; stdout lines of the fake java. */
  Result run(List<String> command, Map<String, String> environment, Path workDir) {
    List<String> entrypoint = image.entrypoint();
    List<String> line = new ArrayList<>();
    line.add(entrypoint.get(0).startsWith("/") ? repositoryFile(entrypoint.get(0)).toString() : entrypoint.get(0));
    line.addAll(entrypoint.subList(1, entrypoint.size()));
    line.addAll(command == null ? image.cmd() : command);
    return exec(line, environment, workDir);
  }

  /** {@code docker exec <container> registry …}: the registry command alone. */
  Result registry(List<String> arguments, Map<String, String> environment) {
    List<String> line = new ArrayList<>(List.of(bin.resolve("registry").toString()));
    line.addAll(arguments);
    return exec(line, environment, bin);
  }

  private Result exec(List<String> line, Map<String, String> environment, Path workDir) {
    Map<String, String> env = new HashMap<>(environment);
    env.put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
    try {
      ChildProcess.Result result = ChildProcess.command(line).onlyEnvironment(env).directory(workDir)
          .run(Duration.ofSeconds(30));
      return new Result(line, result.exitCode(), result.stdout().lines().toList(), result.stderr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A finished script: its exit code, stdout lines (the fake java prints {@code java} and then one argument a line). */
  record Result(List<String> command, int exitCode, List<String> stdout, String stderr) {
    /** The java command line, or an AssertionError saying what ran instead. */
    List<String> java() {
      if (exitCode != 0 || stdout.isEmpty() || !stdout.get(0).equals("java")) {
        throw new AssertionError(command + " ran no java (exit " + exitCode + "): " + stdout + " " + stderr);
      }
      return stdout;
    }

    /** The jar the java command line runs. */
    String jar() {
      List<String> java = java();
      int jar = java.indexOf("-jar");
      if (jar < 0 || jar + 1 >= java.size()) {
        throw new AssertionError(command + ": java runs no -jar: " + java);
      }
      return java.get(jar + 1);
    }

    /** The launcher's arguments: what follows {@code -jar <jar>}. */
    List<String> launcherArguments() {
      List<String> java = java();
      return java.subList(java.indexOf("-jar") + 2, java.size());
    }
  }
}
