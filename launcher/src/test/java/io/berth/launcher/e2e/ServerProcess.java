package io.berth.launcher.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running child process (a registry server) whose merged stdout and stderr are collected line by line, so a
 * test can wait for a log line (readiness, shutdown) instead of sleeping.
 */
final class ServerProcess implements AutoCloseable {
  private final List<String> command;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private boolean outputEnded;

  private ServerProcess(List<String> command, Process process) {
    this.command = command;
    this.process = process;
  }

  static ServerProcess start(List<String> command, Map<String, String> environment) throws IOException {
    return start(command, environment, null);
  }

  /** In working directory {@code directory}; null: this JVM's. */
  static ServerProcess start(List<String> command, Map<String, String> environment, Path directory)
      throws IOException {
    Executables.require(command.get(0));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Executables.applyEnvironment(builder, environment);
    ServerProcess server = new ServerProcess(command, builder.start());
    Thread reader = new Thread(server::collectOutput, "output of " + command.get(0));
    reader.setDaemon(true);
    reader.start();
    return server;
  }

  private void collectOutput() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // The pipe breaks when the process is killed; what it wrote until then is kept.
    } finally {
      synchronized (lines) {
        outputEnded = true;
        lines.notifyAll();
      }
    }
  }

  /** The first output line matching {@code match}; fails when the process ends or the deadline passes first. */
  String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (outputEnded || left <= 0) {
          throw new AssertionError((outputEnded ? "process ended" : "no such line within " + timeout)
              + " while waiting for a log line: " + String.join(" ", command) + "\n" + log());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
  }

  /** Waits for the process to end by itself, and for the last of its output; its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(String.join(" ", command) + " still running after " + timeout + "\n" + log());
    }
    synchronized (lines) {
      for (long left = deadline - System.nanoTime(); !outputEnded && left > 0; left = deadline - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(lines, left);
      }
    }
    return process.exitValue();
  }

  /**
   * SIGTERM, then waits for the process to end; its exit code. The signal goes through the process handle:
   * {@code Process.destroy()} sends the same signal but also closes our end of the pipe, losing what the process
   * logs while it shuts down.
   */
  int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    return awaitExit(timeout);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String log() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }
}
