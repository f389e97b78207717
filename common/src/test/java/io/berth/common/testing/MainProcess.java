package io.berth.common.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's {@code main} in a JVM of its own, as an operator runs it, on the test's class path. Its output is read
 * as it comes; {@link #awaitPort} waits for the log line that says where it listens, {@link #awaitLine} for any line.
 */
public final class MainProcess implements AutoCloseable {
  private final Process process;
  private final String name;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Predicate<String>, CompletableFuture<String>>> waiters = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final Thread reader;

  private MainProcess(Process process, Pattern listening, String name) {
    this.process = process;
    this.name = name;
    reader = new Thread(() -> {
      process.inputReader(StandardCharsets.UTF_8).lines().forEach(line -> {
        output.add(line);
        Matcher matcher = listening.matcher(line);
        if (matcher.find()) {
          port.complete(Integer.parseInt(matcher.group(1)));
        }
        waiters.forEach(waiter -> {
          if (waiter.getKey().test(line)) {
            waiter.getValue().complete(line);
          }
        });
      });
      AssertionError gone = new AssertionError(name + " ended first:\n" + String.join("\n", output));
      port.completeExceptionally(gone);
      ended.complete(null);
      waiters.forEach(waiter -> waiter.getValue().completeExceptionally(gone));
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} with {@code args}; {@code listening}'s first group is the port it logs when it serves. */
  public static MainProcess start(Class<?> main, Pattern listening, String... args) throws IOException {
    return start(main, listening, Map.of(), args);
  }

  /**
   * {@link #start(Class, Pattern, String...)} with {@code environment} added to this JVM's, less its {@code REGISTRY_*}
   * variables, which would change the configuration under test.
   */
  public static MainProcess start(Class<?> main, Pattern listening, Map<String, String> environment, String... args)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(), "-cp",
        System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
    builder.environment().putAll(environment);
    return new MainProcess(builder.start(), listening, main.getSimpleName());
  }

  public int awaitPort() throws Exception {
    return port.get(60, TimeUnit.SECONDS);
  }

  /** The first output line matching {@code match}, waiting up to 60 s for it; fails if the process ends first. */
  public String awaitLine(Predicate<String> match) throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    waiters.add(Map.entry(match, found));
    // Lines read before the waiter was added; one read meanwhile completes it twice, which is harmless.
    output.stream().filter(match).findFirst().ifPresent(found::complete);
    if (ended.isDone()) {
      found.completeExceptionally(new AssertionError(name + " ended first:\n" + output()));
    }
    return found.get(60, TimeUnit.SECONDS);
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

  /**
   * SIGTERM, and whether the process stopped within 30 s. The signal goes through the process handle:
   * {@code Process.destroy()} sends the same signal but also closes our end of the pipe, losing what the process logs
   * while it shuts down.
   */
  public boolean stop() throws InterruptedException {
    process.toHandle().destroy();
    return process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
