package io.berth.common.http;

import io.berth.common.config.ConnectionLimits;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SSLOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects one HTTP server from clients that hold connections without using them: the idle timeout (Vert.x's own),
 * the request-head timeout and body rate ({@link ConnectionWatch}), the TLS handshake limit, and the connection cap
 * ({@link ConnectionCap}). Apply {@link #configure} to the server's options and set {@link #accept} as its connection
 * handler. One guard serves every instance of a server in the process: it keeps no state of its own but the shared,
 * thread-safe cap.
 */
public final class ConnectionGuard {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
  /** Vert.x's default handshake limit; a shorter {@code readheader} tightens it, a longer one never loosens it. */
  private static final Duration HANDSHAKE_LIMIT = Duration.ofSeconds(SSLOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT);

  private final ConnectionLimits limits;
  private final ConnectionCap cap;

  public ConnectionGuard(ConnectionLimits limits, ConnectionCap cap) {
    this.limits = limits;
    this.cap = cap;
  }

  /**
   * {@code options} with the idle timeout and the handshake limit, HTTP/1.x only (an h2c server would hand over a
   * connection only once its first bytes arrive, too late to count it or time its head), and 100 Continue answered
   * with the head (the body rate runs from the head; a client waiting for a Continue nobody sends is not slow).
   */
  public HttpServerOptions configure(HttpServerOptions options) {
    options.setHttp2ClearTextEnabled(false).setHandle100ContinueAutomatically(true);
    if (!limits.idleTimeout().isZero()) {
      options.setIdleTimeout((int) limits.idleTimeout().toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    if (!limits.readHeaderTimeout().isZero()) {
      Duration handshake = limits.readHeaderTimeout().compareTo(HANDSHAKE_LIMIT) < 0 ? limits.readHeaderTimeout()
          : HANDSHAKE_LIMIT;
      options.setSslHandshakeTimeout(handshake.toMillis()).setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
    }
    return options;
  }

  /** The server's connection handler: admits the connection under the cap and watches it, or closes it at once. */
  public void accept(HttpConnection connection) {
    ChannelHandlerContext vertxHandler = ServerChannels.vertxHandler(connection);
    Channel channel = vertxHandler.channel();
    InetAddress client = channel.remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
    if (!cap.tryOpen(client)) {
      channel.close();
      return;
    }
    channel.closeFuture().addListener(closed -> cap.closed(client));
    // Without a handler Vert.x logs every reset or broken pipe at ERROR: a client going away is no server fault.
    connection.exceptionHandler(failure -> LOG.debug("connection failed [client: {}]: {}", client, failure.toString()));
    ConnectionWatch.install(vertxHandler, limits);
  }

  /** One line at startup saying what the server will put up with. */
  public void logLimits() {
    LOG.info("connection limits [server: {}, max connections: {}, per client: {}, idle: {} ms, request head: {} ms, "
        + "body: {} bytes/s over {} ms]", cap.server(), cap.max(), cap.maxPerClient() == 0 ? "no cap" : cap.maxPerClient(),
        limits.idleTimeout().toMillis(), limits.readHeaderTimeout().toMillis(), limits.bodyMinRate(),
        limits.bodyRateWindow().toMillis());
  }
}
