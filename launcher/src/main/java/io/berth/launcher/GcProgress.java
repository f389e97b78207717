package io.berth.launcher;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline collector's progress: on a terminal, one line on stderr rewritten in place (at most ten times a
 * second); otherwise a log line every few seconds, so a long run in a job's log still shows it is moving.
 */
final class GcProgress {
  private static final Logger LOG = LoggerFactory.getLogger(GcProgress.class);
  private static final long TERMINAL_EVERY_MS = 100;
  private static final long LOG_EVERY_MS = 5_000;

  private final PrintStream terminal;
  private long last;
  private boolean shown;

  /** {@code terminal}: where to draw the line, or null to log instead. */
  GcProgress(PrintStream terminal) {
    this.terminal = terminal;
  }

  void update(String status) {
    long now = System.currentTimeMillis();
    if (now - last < (terminal == null ? LOG_EVERY_MS : TERMINAL_EVERY_MS)) {
      return;
    }
    last = now;
    if (terminal == null) {
      LOG.info("garbage collection: {}", status);
      return;
    }
    terminal.print("\r\033[K" + status);
    terminal.flush();
    shown = true;
  }

  /** Erases the line, before other output goes to the same terminal. */
  void clear() {
    if (shown) {
      terminal.print("\r\033[K");
      terminal.flush();
      shown = false;
    }
  }
}
