package io.berth.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A port free on 127.0.0.1 now, for a server whose address must be known before it starts (written into its own or
 * another server's configuration), where port 0 cannot be used. It is taken below the kernel's ephemeral range: a
 * port from that range can be taken before the server binds it by anything that binds port 0 or opens an outgoing
 * connection, which the JVMs of a test cluster do by the dozen while they start (seen: a token issuer failing to
 * start with "Address already in use").
 */
public final class FreePorts {
  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int LOWEST = 10_000;
  private static final int ATTEMPTS = 1_000;

  private FreePorts() {
  }

  public static int onLoopback() {
    int below = ephemeralStart();
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // another server listens there: try another
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 between " + LOWEST + " and " + below);
  }

  private static int ephemeralStart() {
    try {
      return Files.isReadable(EPHEMERAL_RANGE)
          // readString would stop short: /proc files report a size of 0.
          ? Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]) : 32_768;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
