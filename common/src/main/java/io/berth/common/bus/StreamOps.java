package io.berth.common.bus;

import io.vertx.core.Vertx;

/** The byte-stream protocol: a header on each message of a stream says whether it carries data, ends or aborts it. */
public final class StreamOps {
  public static final String HEADER = "stream-op";
  public static final String DATA = "data";
  public static final String END = "end";
  public static final String ABORT = "abort";
  /**
   * On each chunk and each acknowledgement between processes: the cluster node ({@link LocalNode}) of the side that
   * sent it, so that each side of a stream can give up at once when the other's member leaves or dies, instead of
   * waiting for a chunk timeout or the idle limit (a dead receiver's session would stay busy until then).
   */
  public static final String NODE_HEADER = "berth-node";
  /**
   * Chunks are aggregated to this size before they are sent: large enough to amortise a message, and small enough
   * that a chunk plus one network read stays under half a G1 region of a 256 MiB heap (1 MiB regions), where larger
   * buffers become humongous objects allocated straight into the old generation (seen: 84 old GCs per 1.5 GiB pushed).
   */
  public static final int CHUNK_SIZE = 256 * 1024;
  /** Chunks in flight before the sender waits for an acknowledgement; measured: 1 costs 20–75%, more than 16 adds nothing. */
  public static final int WINDOW = 4;
  /**
   * Between processes an acknowledgement takes a TCP round trip through both event loops, so more chunks must be in
   * flight to keep the pipe full (DESIGN §3 measured the clustered bus at window 16).
   */
  public static final int CLUSTERED_WINDOW = 16;
  public static final long CHUNK_TIMEOUT_MS = 60_000;

  private StreamOps() {
  }

  /** The window for streams on {@code vertx}'s event bus. */
  public static int window(Vertx vertx) {
    return vertx.isClustered() ? CLUSTERED_WINDOW : WINDOW;
  }
}
