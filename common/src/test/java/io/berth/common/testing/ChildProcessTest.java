package io.berth.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The one child-process harness of the tests, with {@code sh} as the child. */
class ChildProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aServersPortIsReadFromItsLogAndSigtermEndsIt() throws Exception {
    try (ChildProcess server = ChildProcess.command("sh", "-c",
        "echo starting; echo 'listening on 127.0.0.1:4242' >&2; exec sleep 60").start()) {
      assertEquals(4242, server.awaitPort(Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)"), WAIT));

      assertEquals(128 + 15, server.terminate(WAIT));
      assertEquals("starting\nlistening on 127.0.0.1:4242", server.log());
    }
  }

  @Test
  void waitingForALineFailsWithTheLogWhenTheProcessEndsFirst() throws Exception {
    try (ChildProcess process = ChildProcess.command("sh", "-c", "echo the only line; printf unterminated").start()) {
      AssertionError failure = assertThrows(AssertionError.class,
          () -> process.awaitLine(line -> line.contains("never"), WAIT));

      assertTrue(failure.getMessage().contains("process ended (exit 0)"), failure.getMessage());
      assertTrue(failure.getMessage().contains("the only line\nunterminated"), failure.getMessage());
    }
  }

  @Test
  void closeKillsTheProcessAndItsDescendantsAndKeepsTheLog() throws Exception {
    ChildProcess process = ChildProcess.command("sh", "-c", "sleep 60 & echo $!; wait").start();
    long child = Long.parseLong(process.awaitLine(line -> line.matches("\\d+"), WAIT));

    process.close();

    assertFalse(process.isAlive());
    assertFalse(Polling.until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
        alive -> !alive, Duration.ofMillis(20), WAIT), "the child of the child was killed too");
    assertEquals(Long.toString(child), process.log());
  }

  @Test
  void aCommandRunToTheEndKeepsStdoutAndStderrApartWithTheEnvironmentGiven() throws Exception {
    ChildProcess.Result result = ChildProcess.command("sh", "-c", "echo \"$GREETING\"; echo oops >&2; exit 3")
        .environment(Map.of("GREETING", "hello")).run(WAIT);

    assertEquals(3, result.exitCode());
    assertEquals("hello\n", result.stdout());
    assertEquals("oops\n", result.stderr());
  }

  @Test
  void aCommandThatOutlivesItsTimeoutIsKilledAndFailsTheTest() {
    AssertionError failure = assertThrows(AssertionError.class,
        () -> ChildProcess.command("sleep", "60").run(Duration.ofMillis(300)));

    assertTrue(failure.getMessage().startsWith("sleep 60 did not finish within PT0.3S"), failure.getMessage());
  }
}
