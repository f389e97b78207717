package io.berth.notify.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each endpoint name gets its own directory inside the queue directory, whatever characters the name holds. */
class QueueDirectoryTest {
  private static final Path ROOT = Path.of("/var/lib/registry/notifications");

  @Test
  void aPlainNameIsTheDirectoryName() {
    assertEquals(ROOT.resolve("ci-webhook"), QueueDirectory.of(ROOT, "ci-webhook"));
  }

  @Test
  void namesDifferingOnlyInCaseGetDifferentDirectories() {
    Path lower = QueueDirectory.of(ROOT, "ci");
    Path upper = QueueDirectory.of(ROOT, "CI");

    assertNotEquals(lower.toString().toLowerCase(), upper.toString().toLowerCase());
    assertTrue(upper.getFileName().toString().matches("ci-[0-9a-f]{12}"), upper.toString());
  }

  @Test
  void aNameWithPathCharactersStaysInsideTheQueueDirectory() {
    Path traversal = QueueDirectory.of(ROOT, "../../etc/passwd");
    Path symbols = QueueDirectory.of(ROOT, "///");

    assertEquals(ROOT, traversal.getParent());
    assertTrue(traversal.getFileName().toString().matches("etc_passwd-[0-9a-f]{12}"), traversal.toString());
    assertEquals(ROOT, symbols.getParent());
    assertTrue(symbols.getFileName().toString().matches("endpoint-[0-9a-f]{12}"), symbols.toString());
  }
}
