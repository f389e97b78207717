package io.berth.launcher.e2e;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A port free on 127.0.0.1 right now, for a server whose address must be known before it starts (written into its
 * own or another server's configuration), where port 0 cannot be used.
 */
final class FreePort {
  private FreePort() {
  }

  static int onLoopback() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
