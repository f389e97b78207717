package io.berth.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code main} in a JVM of its own, as an operator runs it, on the test's class path. Its output is read
 * as it comes; {@link #awaitPort} waits for the log line that says where it listens.
 */
public final class MainProcess implements AutoCloseable {
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Thread reader;

  private MainProcess(Process process, Pattern listening, String name) {
    this.process = process;
    reader = new Thread(() -> {
      process.inputReader(StandardCharsets.UTF_8).lines().forEach(line -> {
        output.add(line);
        Matcher matcher = listening.matcher(line);
        if (matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(1)));
        }
      });
      port.completeExceptionally(new AssertionError(name + " ended before listening:\n" + String.join("\n", output)));
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with {@code args}; {@code listening}'s first group is the port it logs when it serves. */
  public static MainProcess start(Class<?> main, Pattern listening, String... args) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp",
        System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new MainProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), listening,
        main.getSimpleName());
  }

  public int awaitPort() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  /** Waits for the process to end by itself, and for its last output line to be read; answers its exit status. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("process did not end:\n" + output());
    }
    reader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  public String output() {
    return String.join("\n", output);
  }

  /** SIGTERM, and whether the process stopped within 30 s. */
  public boolean stop() throws InterruptedException {
    process.destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
