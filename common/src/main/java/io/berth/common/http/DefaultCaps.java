package io.berth.common.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The default connection caps, derived from what a flood of connections would exhaust first: the process's
 * file-descriptor limit ({@code ulimit -n}) or its heap.
 * <p>
 * Of the descriptors, {@value #RESERVED} are kept for everything that is no client connection (jars, storage files
 * of background work, the event bus and cluster sockets, the debug server). Of the rest, a gateway connection may
 * cost two (its socket and the blob file it sends or writes), an issuer connection one, and both servers may be in
 * one process: 7/16 of the rest for the gateway (twice that in descriptors) and 1/8 for the issuer fill it exactly.
 * Each open connection also holds heap (Vert.x and Netty state, read buffers while data arrives), taken as
 * {@value #HEAP_PER_CONNECTION} bytes (an idle one measured ~9 KB); the gateway may take half the heap, the issuer an
 * eighth.
 */
final class DefaultCaps {
  static final long RESERVED = 1024;
  /** Where the JVM cannot tell (not a Unix system): a common soft limit. */
  static final long UNKNOWN_LIMIT = 4096;
  static final long HEAP_PER_CONNECTION = 32 * 1024;
  private static final int GATEWAY_FLOOR = 64;
  private static final int ISSUER_FLOOR = 16;

  private DefaultCaps() {
  }

  /** This process's limit on open file descriptors. */
  static long descriptorLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : UNKNOWN_LIMIT;
  }

  static int gateway(long descriptors, long heap) {
    return capped(Math.min((descriptors - RESERVED) * 7 / 16, heap / HEAP_PER_CONNECTION / 2), GATEWAY_FLOOR);
  }

  static int issuer(long descriptors, long heap) {
    return capped(Math.min((descriptors - RESERVED) / 8, heap / HEAP_PER_CONNECTION / 8), ISSUER_FLOOR);
  }

  private static int capped(long derived, int floor) {
    return (int) Math.max(floor, Math.min(Integer.MAX_VALUE, derived));
  }
}
