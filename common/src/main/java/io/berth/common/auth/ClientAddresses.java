package io.berth.common.auth;

import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The throttle's key for a client: the TCP peer's IP address (never {@code X-Forwarded-For}, which any client can
 * write), and for IPv6 its /64, since one host commonly holds a whole /64 and would otherwise get endless fresh keys.
 */
final class ClientAddresses {
  private static final int IPV6_PREFIX_BYTES = 8;

  private ClientAddresses() {
  }

  static String key(SocketAddress peer) {
    String host = peer == null ? null : peer.hostAddress();
    if (host == null) {
      return "local";
    }
    if (host.indexOf(':') < 0) {
      return host;
    }
    try {
      // An address literal: no name lookup happens.
      byte[] bytes = InetAddress.getByName(host).getAddress();
      if (bytes.length == 4) {
        return InetAddress.getByAddress(bytes).getHostAddress();
      }
      Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte) 0);
      return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
