package io.berth.common.bus;

import io.berth.common.oci.UploadId;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Upload session ids that name the blob-service process which created them (docs/DESIGN.md §4e, upload affinity):
 * an RFC 9562 version-8 (custom) UUID whose last 12-hex group is the process id, the rest random. distribution's
 * session ids are version 4, so a session it left on storage is never taken for one of ours.
 */
public final class UploadIds {
  private static final Pattern OURS =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-([0-9a-f]{12})");
  private static final Pattern PROCESS_ID = Pattern.compile("[0-9a-f]{12}");

  private UploadIds() {
  }

  /** A fresh process id: 12 lowercase hex characters. */
  public static String newProcessId() {
    return UUID.randomUUID().toString().substring(24);
  }

  /**
   * The process id of a blob service on {@code vertx}: on a cluster, the last 12 hex characters of its Vert.x node id
   * (a random UUID), so that a gateway told a node left knows which sessions' owner died ({@link #processIdOf});
   * otherwise a fresh one.
   */
  public static String processId(Vertx vertx) {
    String node = LocalNode.id(vertx);
    return node == null ? newProcessId() : processIdOf(node).orElseGet(UploadIds::newProcessId);
  }

  /** The process id a blob service on cluster node {@code node} has, if the node id is a UUID. */
  public static Optional<String> processIdOf(String node) {
    String tail = node.length() >= 12 ? node.substring(node.length() - 12) : "";
    return PROCESS_ID.matcher(tail).matches() ? Optional.of(tail) : Optional.empty();
  }

  /** A fresh session id owned by {@code processId}; the random part keeps 74 random bits. */
  public static UploadId newUuid(String processId) {
    if (!PROCESS_ID.matcher(processId).matches()) {
      throw new IllegalArgumentException("a process id is 12 lowercase hex characters: " + processId);
    }
    String random = UUID.randomUUID().toString();
    return new UploadId(random.substring(0, 14) + '8' + random.substring(15, 24) + processId);
  }

  /** The id of the process that created a session, when the session id is one of ours. */
  public static Optional<String> owner(UploadId uuid) {
    Matcher matcher = OURS.matcher(uuid.value());
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }
}
