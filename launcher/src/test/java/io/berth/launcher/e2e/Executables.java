package io.berth.launcher.e2e;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The external programs the end-to-end tests drive; a missing one fails the test, it never skips it. */
final class Executables {
  private Executables() {
  }

  static void require(String program) {
    if (program.contains("/")) {
      return;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return;
      }
    }
    throw new AssertionError(program + " is not installed (not on PATH); `./registry test` installs the tools the "
        + "end-to-end tests need (skopeo, docker-registry)");
  }

  /**
   * Child processes inherit this JVM's environment minus any {@code REGISTRY_*} variable (which would change the
   * registry under test), plus {@code environment}; a null value removes a variable.
   */
  static void applyEnvironment(ProcessBuilder builder, Map<String, String> environment) {
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    environment.forEach((name, value) -> {
      if (value == null) {
        env.remove(name);
      } else {
        env.put(name, value);
      }
    });
  }
}
