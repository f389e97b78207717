package io.berth.launcher.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion with a deadline; stdout and stderr go to files, so no pipe can fill up and stall it. */
final class ChildProcess {
  private ChildProcess() {
  }

  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + "\nstderr: " + stderr
            + "\nstdout: " + stdout);
      }
      return this;
    }
  }

  /** {@code environment} is added to this JVM's; a null value removes the variable. */
  static Result run(List<String> command, Map<String, String> environment, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    Executables.require(command.get(0));
    File stdout = Files.createTempFile(workDir, "stdout", ".log").toFile();
    File stderr = Files.createTempFile(workDir, "stderr", ".log").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Executables.applyEnvironment(builder, environment);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + "\nstderr: "
          + Files.readString(stderr.toPath()));
    }
    return new Result(command, process.exitValue(), Files.readString(stdout.toPath()),
        Files.readString(stderr.toPath()));
  }
}
