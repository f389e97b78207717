package io.berth.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child process of a test: a server it talks to (a service's {@code main}, the packaged launcher, a third-party
 * registry or script) or a command it runs to the end. Output goes to a file, never to a pipe, so a chatty child
 * cannot stall on a full pipe and what it logs while it shuts down is kept; a test awaits a line of it (readiness,
 * the port it bound, shutdown) with a deadline instead of sleeping. The environment is this JVM's less its
 * {@code REGISTRY_*} variables, which would change the configuration under test. A child still running when the
 * test JVM exits is killed with it.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);
  private static final long PACE_MILLIS = 20;
  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(ChildProcess::killTree),
        "child-process-reaper"));
  }

  private final List<String> command;
  private final Process process;
  private final Path logFile;
  private final List<String> lines = new ArrayList<>();
  private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
  private long bytesRead;
  private boolean closed;

  private ChildProcess(List<String> command, Process process, Path logFile) {
    this.command = command;
    this.process = process;
    this.logFile = logFile;
  }

  public static Command command(String... command) {
    return command(List.of(command));
  }

  public static Command command(List<String> command) {
    return new Command(List.copyOf(command));
  }

  /** {@code main} of a class on this JVM's class path, in a JVM of its own, as an operator runs a service. */
  public static Command java(Class<?> main, String... args) {
    List<String> line = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
        main.getName()));
    line.addAll(List.of(args));
    return command(line);
  }

  /** The {@code java} of the JDK running the tests. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Fails (a test never skips) when {@code program}, without a directory, is not on the PATH. */
  public static void requireInstalled(String program) {
    if (program.contains("/")) {
      return;
    }
    for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(directory, program))) {
        return;
      }
    }
    throw new AssertionError(program + " is not installed (not on PATH); `./registry test` installs the tools the "
        + "tests need (skopeo, docker-registry, python3)");
  }

  /** What to start, where and with which environment. */
  public static final class Command {
    private final List<String> line;
    private final Map<String, String> environment = new HashMap<>();
    private boolean inheritEnvironment = true;
    private Path directory;

    private Command(List<String> line) {
      this.line = line;
    }

    /** Adds {@code variables} to the environment; a null value removes a variable. */
    public Command environment(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    /** Only {@code variables}, none of this JVM's: as a container starts its process. */
    public Command onlyEnvironment(Map<String, String> variables) {
      inheritEnvironment = false;
      return environment(variables);
    }

    /** The working directory; this JVM's unless set. */
    public Command directory(Path workingDirectory) {
      directory = workingDirectory;
      return this;
    }

    /** Starts it, its stdout and stderr together into a log file that {@link #close} removes. */
    public ChildProcess start() throws IOException {
      Path log = Files.createTempFile(programName() + "-", ".log");
      try {
        Process process = builder().redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RUNNING.add(process);
        return new ChildProcess(line, process, log);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(log);
        throw e;
      }
    }

    /** Runs it to the end; it is killed, and the test fails, when it has not ended within {@code timeout}. */
    public Result run(Duration timeout) throws IOException, InterruptedException {
      Path stdout = Files.createTempFile(programName() + "-", ".out");
      Path stderr = Files.createTempFile(programName() + "-", ".err");
      try {
        Process process = builder().redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        RUNNING.add(process);
        try {
          if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            killTree(process);
            process.waitFor();
            throw new AssertionError(String.join(" ", line) + " did not finish within " + timeout + "\nstderr: "
                + Files.readString(stderr) + "\nstdout: " + Files.readString(stdout));
          }
        } finally {
          RUNNING.remove(process);
        }
        return new Result(line, process.exitValue(), Files.readString(stdout), Files.readString(stderr));
      } finally {
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
      }
    }

    private ProcessBuilder builder() {
      requireInstalled(line.get(0));
      ProcessBuilder builder = new ProcessBuilder(line)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (directory != null) {
        builder.directory(directory.toFile());
      }
      Map<String, String> env = builder.environment();
      if (inheritEnvironment) {
        env.keySet().removeIf(name -> name.startsWith("REGISTRY_"));
      } else {
        env.clear();
      }
      environment.forEach((name, value) -> {
        if (value == null) {
          env.remove(name);
        } else {
          env.put(name, value);
        }
      });
      return builder;
    }

    private String programName() {
      return Path.of(line.get(0)).getFileName().toString();
    }
  }

  /** A command that ran to the end. */
  public record Result(List<String> command, int exitCode, String stdout, String stderr) {
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new AssertionError(String.join(" ", command) + " exited " + exitCode + "\nstderr: " + stderr
            + "\nstdout: " + stdout);
      }
      return this;
    }

    /** stdout, then stderr: for a message wherever the program wrote it. */
    public String output() {
      return stdout + "\n" + stderr;
    }
  }

  /** The first output line matching {@code match}, waiting up to 60 s; fails if the process ends first. */
  public String awaitLine(Predicate<String> match) throws InterruptedException {
    return awaitLine(match, DEFAULT_WAIT);
  }

  /** The first output line matching {@code match}; fails when the process ends or the deadline passes first. */
  public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      boolean ended = !process.isAlive();
      List<String> now = linesFrom(seen, ended);
      for (String line : now) {
        if (match.test(line)) {
          return line;
        }
      }
      seen += now.size();
      if (ended || deadline - System.nanoTime() <= 0) {
        throw new AssertionError((ended ? "process ended (exit " + process.exitValue() + ")"
            : "no such line within " + timeout) + " while waiting for a log line: " + String.join(" ", command)
            + "\n" + log());
      }
      Thread.sleep(PACE_MILLIS);
    }
  }

  /** The port in the first line {@code listening} finds (its first group), waiting up to 60 s. */
  public int awaitPort(Pattern listening) throws InterruptedException {
    return awaitPort(listening, DEFAULT_WAIT);
  }

  public int awaitPort(Pattern listening, Duration timeout) throws InterruptedException {
    Matcher matcher = listening.matcher(awaitLine(line -> listening.matcher(line).find(), timeout));
    matcher.find();
    return Integer.parseInt(matcher.group(1));
  }

  /** Waits up to 60 s for the process to end by itself; its exit code. */
  public int awaitExit() throws InterruptedException {
    return awaitExit(DEFAULT_WAIT);
  }

  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(String.join(" ", command) + " still running after " + timeout + "\n" + log());
    }
    return process.exitValue();
  }

  /** SIGTERM, and whether the process ended within 30 s; one that did not is killed. */
  public boolean stop() throws InterruptedException {
    return stop(Duration.ofSeconds(30));
  }

  /** SIGTERM, and whether the process ended within {@code grace}; one that did not is killed. */
  public boolean stop(Duration grace) throws InterruptedException {
    process.toHandle().destroy();
    if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    kill();
    return false;
  }

  /** SIGTERM, then its exit code; fails (after killing it) when it has not ended within {@code timeout}. */
  public int terminate(Duration timeout) throws InterruptedException {
    if (!stop(timeout)) {
      throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + " of SIGTERM\n"
          + log());
    }
    return process.exitValue();
  }

  /** SIGKILL to it and its descendants: it vanishes as a crashed process does. */
  public void kill() throws InterruptedException {
    killTree(process);
    process.waitFor();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Everything it wrote so far, stdout and stderr interleaved as written. */
  public String log() {
    List<String> all = new ArrayList<>(linesFrom(0, !process.isAlive()));
    synchronized (this) {
      if (partialLine.size() > 0) {
        all.add(partialLine.toString(StandardCharsets.UTF_8));
      }
    }
    return String.join("\n", all);
  }

  /** Kills it if it still runs, and removes its log file (what it logged stays readable through {@link #log}). */
  @Override
  public void close() {
    killTree(process);
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    RUNNING.remove(process);
    synchronized (this) {
      if (!closed) {
        readNew(true);
        closed = true;
        try {
          Files.deleteIfExists(logFile);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** The complete lines from index {@code from} on, reading what the process appended to its log since. */
  private synchronized List<String> linesFrom(int from, boolean ended) {
    if (!closed) {
      readNew(ended);
    }
    return List.copyOf(lines.subList(Math.min(from, lines.size()), lines.size()));
  }

  /** With {@code ended}, an unterminated last line counts as a line: nothing will complete it. */
  private void readNew(boolean ended) {
    byte[] appended;
    try (InputStream in = Files.newInputStream(logFile)) {
      in.skipNBytes(bytesRead);
      appended = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytesRead += appended.length;
    int start = 0;
    for (int i = 0; i < appended.length; i++) {
      if (appended[i] == '\n') {
        partialLine.write(appended, start, i - start);
        lines.add(partialLine.toString(StandardCharsets.UTF_8));
        partialLine.reset();
        start = i + 1;
      }
    }
    partialLine.write(appended, start, appended.length - start);
    if (ended && partialLine.size() > 0) {
      lines.add(partialLine.toString(StandardCharsets.UTF_8));
      partialLine.reset();
    }
  }

  private static void killTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
