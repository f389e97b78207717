package io.berth.launcher.e2e;

import io.berth.common.testing.ChildProcess;
import io.berth.common.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged launcher ({@code java -Xmx256m -jar berth.jar serve [config.yml]}) as a child process, configured
 * through {@code REGISTRY_*} variables: 127.0.0.1 on a free port, a storage root of its own, a 2 s drain.
 */
final class BerthProcess implements AutoCloseable {
  private final ChildProcess process;
  private final Path root;
  private final int port;

  private BerthProcess(ChildProcess process, Path root, int port) {
    this.process = process;
    this.root = root;
    this.port = port;
  }

  /** Starts the process; {@code environment} adds to or overrides the defaults above. */
  static BerthProcess launch(Path work, Map<String, String> environment, String... serveArguments)
      throws IOException {
    String jar = System.getProperty("berth.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new AssertionError("the packaged launcher is missing (system property berth.jar = " + jar
          + "); run the *IT tests through `mvn verify`, which packages it first");
    }
    Path root = work.resolve("storage");
    int port = FreePorts.onLoopback();
    Map<String, String> env = new HashMap<>();
    env.put("REGISTRY_HTTP_ADDR", "127.0.0.1:" + port);
    env.put("REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY", root.toString());
    env.put("REGISTRY_HTTP_DRAINTIMEOUT", "2s");
    env.putAll(environment);
    List<String> command = new ArrayList<>(List.of(ChildProcess.javaBinary(), "-Xmx256m",
        "-Dvertx.cacheDirBase=" + work.resolve("vertx-cache"), "-jar", jar, "serve"));
    command.addAll(Arrays.asList(serveArguments));
    return new BerthProcess(ChildProcess.command(command).environment(env).start(), root, port);
  }

  BerthProcess awaitListening() throws InterruptedException {
    process.awaitLine(line -> line.contains("Berth listening"), Duration.ofSeconds(60));
    return this;
  }

  ChildProcess process() {
    return process;
  }

  Path root() {
    return root;
  }

  String hostPort() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
