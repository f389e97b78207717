package io.berth.common.config;

import java.time.Duration;

/**
 * How one HTTP server treats slow, idle and numerous clients ({@code http.timeouts.*}, {@code http.maxconnections*},
 * and the same keys under {@code authserver}). A zero duration or rate turns that check off.
 *
 * @param idleTimeout         a connection on which nothing is read and no write completes for this long is closed
 * @param readHeaderTimeout   from accept (or the first byte of a later request on a kept-alive connection) to a
 *                            complete request head
 * @param bodyMinRate         bytes per second a request body must arrive at, measured over {@code bodyRateWindow} of
 *                            time spent waiting for the client
 * @param bodyRateWindow      the stretch of waiting time the body rate is measured over
 * @param maxConnections      open connections of this server in this process; 0 derives it from the file-descriptor
 *                            limit
 * @param maxConnectionsPerClient open connections from one client address; 0 for no per-client cap
 */
public record ConnectionLimits(Duration idleTimeout, Duration readHeaderTimeout, long bodyMinRate,
    Duration bodyRateWindow, int maxConnections, int maxConnectionsPerClient) {

  public static final Duration DEFAULT_IDLE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_READ_HEADER = Duration.ofSeconds(30);
  public static final long DEFAULT_BODY_MIN_RATE = 1024;
  public static final Duration DEFAULT_BODY_RATE_WINDOW = Duration.ofSeconds(30);

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(DEFAULT_IDLE, DEFAULT_READ_HEADER, DEFAULT_BODY_MIN_RATE, DEFAULT_BODY_RATE_WINDOW,
        0, 0);
  }
}
