package io.berth.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

/** The throttle's key of a client: its IPv4 address, or the /64 of its IPv6 address. */
class ClientAddressesTest {
  @Test
  void ipv4AddressIsItsOwnKey() {
    assertEquals("192.0.2.7", ClientAddresses.key(SocketAddress.inetSocketAddress(40000, "192.0.2.7")));
  }

  @Test
  void ipv6AddressesOfOneSlash64ShareAKey() {
    String one = ClientAddresses.key(SocketAddress.inetSocketAddress(40000, "2001:db8:1:2:aaaa::1"));
    String other = ClientAddresses.key(SocketAddress.inetSocketAddress(40001, "2001:db8:1:2:ffff:ffff:ffff:ffff"));

    assertEquals("2001:db8:1:2:0:0:0:0/64", one);
    assertEquals(one, other);
    assertEquals("2001:db8:1:3:0:0:0:0/64",
        ClientAddresses.key(SocketAddress.inetSocketAddress(40000, "2001:db8:1:3::1")));
  }

  @Test
  void aConnectionWithoutAnIpAddressHasOneKey() {
    assertEquals("local", ClientAddresses.key(SocketAddress.domainSocketAddress("/run/berth.sock")));
    assertEquals("local", ClientAddresses.key(null));
  }
}
