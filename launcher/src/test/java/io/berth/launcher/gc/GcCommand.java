package io.berth.launcher.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.launcher.GarbageCollectCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code berth garbage-collect} run in this JVM, and the digests its report names. */
final class GcCommand {
  static final Pattern BLOB = Pattern.compile("blob eligible for deletion: (sha256:[0-9a-f]{64})");
  static final Pattern MANIFEST = Pattern.compile("manifest eligible for deletion: (sha256:[0-9a-f]{64})");

  private GcCommand() {
  }

  /** The command's output, once it has exited 0. */
  static String run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = GarbageCollectCommand.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        null, log -> { });
    String output = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, output);
    return output;
  }

  /** What {@code pattern}'s first group matches in {@code output}. */
  static Set<String> matches(Pattern pattern, String output) {
    Set<String> found = new TreeSet<>();
    Matcher matcher = pattern.matcher(output);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
