package io.berth.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.berth.common.config.ConnectionLimits;
import io.berth.common.testing.LogLines;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The counting behind the connection caps, and the defaults derived from the process's limits. */
class ConnectionCapTest {
  private static final InetAddress ONE = address(10, 0, 0, 1);
  private static final InetAddress TWO = address(10, 0, 0, 2);

  private static InetAddress address(int... parts) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) parts[0], (byte) parts[1], (byte) parts[2], (byte) parts[3]});
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void theTotalCapCountsEveryClientAndFreesAPlaceOnClose() {
    ConnectionCap cap = new ConnectionCap("gateway", "http", 2, 0);

    assertTrue(cap.tryOpen(ONE));
    assertTrue(cap.tryOpen(TWO));
    assertFalse(cap.tryOpen(ONE));
    cap.closed(TWO);
    assertTrue(cap.tryOpen(TWO));
    assertEquals(2, cap.open());
  }

  @Test
  void thePerClientCapLimitsEachAddressAloneAndARefusalTakesNoPlace() {
    ConnectionCap cap = new ConnectionCap("gateway", "http", 10, 2);

    assertTrue(cap.tryOpen(ONE));
    assertTrue(cap.tryOpen(ONE));
    assertFalse(cap.tryOpen(ONE));
    assertTrue(cap.tryOpen(TWO));
    assertEquals(3, cap.open());
    cap.closed(ONE);
    assertTrue(cap.tryOpen(ONE));
    assertTrue(cap.tryOpen(null), "a connection without an address is counted in the total only");
  }

  /**
   * One IPv6 host commonly holds a whole /64 (SLAAC, privacy addresses) and can bind any address in it, as the login
   * throttle assumes: counted per address, one host gets as many connections as it likes.
   */
  @Test
  void thePerClientCapCountsAnIpv6ClientByItsSlash64() throws UnknownHostException {
    ConnectionCap cap = new ConnectionCap("gateway", "http", 10, 2);
    InetAddress first = InetAddress.getByName("2001:db8:1:2::1");
    InetAddress second = InetAddress.getByName("2001:db8:1:2:ffff:ffff:ffff:fffe");
    InetAddress otherNetwork = InetAddress.getByName("2001:db8:1:3::1");

    assertTrue(cap.tryOpen(first));
    assertTrue(cap.tryOpen(second));
    assertFalse(cap.tryOpen(InetAddress.getByName("2001:db8:1:2::3")), "a third address of the same /64");
    assertTrue(cap.tryOpen(otherNetwork));
    cap.closed(second);
    assertTrue(cap.tryOpen(InetAddress.getByName("2001:db8:1:2::4")));
  }

  @Test
  void refusalsAreWarnedAboutOnceAMinuteForEachCap() {
    ConnectionCap cap = new ConnectionCap("token issuer", "authserver", 1, 1);
    try (LogLines warnings = new LogLines(ConnectionCap.class.getName(), Level.WARN)) {
      assertTrue(cap.tryOpen(ONE));
      for (int i = 0; i < 10; i++) {
        assertFalse(cap.tryOpen(TWO));
      }
      cap.closed(ONE);
      assertTrue(cap.tryOpen(ONE));
      cap.closed(ONE);
      ConnectionCap perClient = new ConnectionCap("token issuer", "authserver", 10, 1);
      assertTrue(perClient.tryOpen(ONE));
      assertFalse(perClient.tryOpen(ONE));

      assertEquals(2, warnings.lines().size(), warnings.lines()::toString);
      assertTrue(warnings.lines().get(0).contains("limit: 1 (authserver.maxconnections), refused since the last "
          + "warning: 1"), warnings.lines().get(0));
      assertTrue(warnings.lines().get(1).contains("client: 10.0.0.1"), warnings.lines().get(1));
    }
  }

  @Test
  void theDefaultsLeaveRoomForFilesAndTheOtherServerWithinTheDescriptorAndHeapLimits() {
    long descriptors = 20_000;
    long heap = 4L * 1024 * 1024 * 1024;
    int gateway = DefaultCaps.gateway(descriptors, heap);
    int issuer = DefaultCaps.issuer(descriptors, heap);

    assertEquals(8_302, gateway);
    assertEquals(2_372, issuer);
    assertTrue(2L * gateway + issuer + DefaultCaps.RESERVED <= descriptors);
    assertEquals(4_096, DefaultCaps.gateway(descriptors, 256L * 1024 * 1024), "a 256 MiB heap caps it");
    assertEquals(64, DefaultCaps.gateway(1024, heap), "never below a floor");
  }

  @Test
  void aConfiguredCapWinsOverTheDerivedOne() {
    ConnectionLimits limits = new ConnectionLimits(Duration.ofMinutes(2), Duration.ofSeconds(30), 1024,
        Duration.ofSeconds(30), 50, 5);

    assertEquals(50, ConnectionCap.gateway(limits).max());
    assertEquals(5, ConnectionCap.gateway(limits).maxPerClient());
    assertEquals(50, ConnectionCap.issuer(limits).max());
    assertTrue(ConnectionCap.gateway(ConnectionLimits.defaults()).max() >= 64);
  }
}
