package io.berth.auth;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the third-party binaries of the interop tests; a missing binary fails the test, it never skips it. */
final class ExternalProcess {
  private ExternalProcess() {
  }

  record Result(int exitCode, String output) {
  }

  static Path require(String binary, String whatItIs) {
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(directory, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(binary + " (" + whatItIs + ") is required by this test and is not on PATH; install it, the test "
        + "does not skip");
  }

  static Result run(Map<String, String> environment, Duration timeout, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    Process process = builder.start();
    process.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    Thread reader = new Thread(() -> process.inputReader(StandardCharsets.UTF_8).lines().forEach(lines::add),
        command[0] + "-output");
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
      reader.join();
      return fail(String.join(" ", command) + " did not finish within " + timeout + ":\n" + String.join("\n", lines));
    }
    reader.join();
    return new Result(process.exitValue(), String.join("\n", lines));
  }
}
