package io.berth.notify.endpoint;

import io.berth.common.oci.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The directory of an endpoint's queue under {@code notifications.queue.directory}: its name when that is a plain
 * lower-case file name, else a cleaned-up name plus a hash of the real one, so that no two names share a directory
 * (even on a case-insensitive file system) and no name escapes the queue directory.
 */
final class QueueDirectory {
  private static final Pattern PLAIN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  private QueueDirectory() {
  }

  static Path of(Path root, String endpointName) {
    if (PLAIN.matcher(endpointName).matches()) {
      return root.resolve(endpointName);
    }
    String cleaned = endpointName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    String prefix = cleaned.substring(0, Math.min(cleaned.length(), 40)).replaceAll("^[._-]+", "");
    return root.resolve((prefix.isEmpty() ? "endpoint" : prefix) + "-" + hash(endpointName));
  }

  private static String hash(String name) {
    return HexFormat.of().formatHex(Sha256.create().digest(name.getBytes(StandardCharsets.UTF_8))).substring(0, 12);
  }
}
