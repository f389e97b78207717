package io.berth.common.http;

import io.berth.common.config.ConnectionLimits;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts one server's open connections in this process, over every verticle instance that serves its port (they
 * share this object), and refuses a connection beyond {@code maxconnections}, or beyond
 * {@code maxconnectionsperclient} from one client: an IPv4 address, or an IPv6 /64 (one host commonly holds a whole
 * /64 and may bind any address in it, as the login throttle assumes too). Thread-safe: each instance runs on its own event loop.
 * A refusal is logged at WARN at most once a minute for each cap, with the number refused since the last line.
 */
public final class ConnectionCap {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** The debug server serves probes and metric scrapes: a few connections at a time. */
  private static final int DEBUG_MAX = 100;
  private static final int IPV6_PREFIX_BYTES = 8;

  private final String server;
  private final String section;
  private final int max;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  private final Warning total = new Warning();
  private final Warning client = new Warning();

  ConnectionCap(String server, String section, int max, int maxPerClient) {
    this.server = server;
    this.section = section;
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /** The gateway's cap ({@code http.maxconnections}, derived when 0), for all gateway instances of the process. */
  public static ConnectionCap gateway(ConnectionLimits limits) {
    return new ConnectionCap("gateway", "http", limits.maxConnections() > 0 ? limits.maxConnections()
        : DefaultCaps.gateway(DefaultCaps.descriptorLimit(), Runtime.getRuntime().maxMemory()),
        limits.maxConnectionsPerClient());
  }

  /** The token issuer's cap ({@code authserver.maxconnections}, derived when 0). */
  public static ConnectionCap issuer(ConnectionLimits limits) {
    return new ConnectionCap("token issuer", "authserver", limits.maxConnections() > 0 ? limits.maxConnections()
        : DefaultCaps.issuer(DefaultCaps.descriptorLimit(), Runtime.getRuntime().maxMemory()),
        limits.maxConnectionsPerClient());
  }

  /** The debug server's fixed cap: it is for operators and monitoring, so it has no keys of its own. */
  public static ConnectionCap debug() {
    return new ConnectionCap("debug server", "http.debug", DEBUG_MAX, 0);
  }

  public String server() {
    return server;
  }

  public int max() {
    return max;
  }

  public int maxPerClient() {
    return maxPerClient;
  }

  /** Takes a place for a new connection from {@code address} (null when it has none); false when refused. */
  boolean tryOpen(InetAddress address) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      total.refused(() -> LOG.warn("connection limit reached: new connections are closed at once [server: {}, "
          + "limit: {} ({}.maxconnections), refused since the last warning: {}]", server, max, section,
          total.takeRefused()));
      return false;
    }
    if (maxPerClient > 0 && address != null && !tryOpenFrom(clientOf(address))) {
      open.decrementAndGet();
      client.refused(() -> LOG.warn("per-client connection limit reached: new connections from the client are closed "
          + "at once [server: {}, client: {}, limit: {} ({}.maxconnectionsperclient), refused since the last "
          + "warning: {}]", server, describe(clientOf(address)), maxPerClient, section, client.takeRefused()));
      return false;
    }
    return true;
  }

  /** Gives back the place of a connection {@link #tryOpen} admitted. */
  void closed(InetAddress address) {
    if (maxPerClient > 0 && address != null) {
      perClient.computeIfPresent(clientOf(address), (key, count) -> count <= 1 ? null : count - 1);
    }
    open.decrementAndGet();
  }

  int open() {
    return open.get();
  }

  /** The address itself for IPv4, its /64 (the rest zeroed) for IPv6. */
  private static InetAddress clientOf(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address;
    }
    byte[] bytes = address.getAddress();
    Arrays.fill(bytes, IPV6_PREFIX_BYTES, bytes.length, (byte) 0);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  private static String describe(InetAddress client) {
    return client instanceof Inet6Address ? client.getHostAddress() + "/64" : client.getHostAddress();
  }

  private boolean tryOpenFrom(InetAddress address) {
    boolean[] admitted = {false};
    perClient.compute(address, (key, count) -> {
      int current = count == null ? 0 : count;
      if (current >= maxPerClient) {
        return count;
      }
      admitted[0] = true;
      return current + 1;
    });
    return admitted[0];
  }

  /** One WARN line a minute at most, carrying how many refusals it stands for. */
  private static final class Warning {
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    void refused(Runnable log) {
      refused.incrementAndGet();
      long last = lastLogged.get();
      long now = System.nanoTime();
      if (now - last >= WARN_EVERY_NANOS && lastLogged.compareAndSet(last, now)) {
        log.run();
      }
    }

    long takeRefused() {
      return refused.getAndSet(0);
    }
  }
}
