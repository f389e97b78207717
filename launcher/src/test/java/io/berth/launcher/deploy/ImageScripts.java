package io.berth.launcher.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    ProcessBuilder builder = new ProcessBuilder(line).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(environment);
    builder.environment().put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
    try {
      Path out = Files.createTempFile(bin.getParent(), "out", ".txt");
      Path err = Files.createTempFile(bin.getParent(), "err", ".txt");
      Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(line + " did not finish");
      }
      return new Result(line, process.exitValue(), Files.readAllLines(out), Files.readString(err));
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
