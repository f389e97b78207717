package io.berth.common.http;

import io.berth.common.config.ConnectionLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one HTTP/1.x connection and closes it when its client is too slow: a request head not complete within
 * {@code readheader}, or a request body below {@code bodyminrate} over a window of {@code bodyratewindow}.
 * <p>
 * The head timer runs from the connection's start (after the TLS handshake) to its first complete head, and on a
 * kept-alive connection from the first byte of each later request to its complete head; between requests nothing is
 * owed, and the idle timeout applies (as Go's {@code ReadHeaderTimeout} and {@code IdleTimeout}). A request is over
 * when both its body has been read and its final response (not a {@code 100 Continue}) has been written out.
 * <p>
 * The body rate counts only time during which the server is reading the socket ({@code autoRead}): when Vert.x stops
 * reading because the request was paused (an upload waiting for the blob service), that time is not the client's.
 * Everything runs on the connection's event loop; the timers are Netty tasks on it.
 */
final class ConnectionWatch {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);
  private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Channel channel;
  private final ConnectionLimits limits;
  private ScheduledFuture<?> headTimer;
  private ScheduledFuture<?> rateTicks;
  private BodyRate bodyRate;
  private long lastTick;
  private int unanswered;
  private boolean readingBody;
  private boolean betweenRequests;
  private boolean informational;

  private ConnectionWatch(Channel channel, ConnectionLimits limits) {
    this.channel = channel;
    this.limits = limits;
  }

  /**
   * Starts watching the connection whose Vert.x handler is {@code vertxHandler}: one handler before the HTTP decoder
   * sees raw bytes (the first byte of a request), one after it sees heads, bodies and written responses.
   */
  static void install(ChannelHandlerContext vertxHandler, ConnectionLimits limits) {
    ConnectionWatch watch = new ConnectionWatch(vertxHandler.channel(), limits);
    ChannelHandlerContext decoder = vertxHandler.pipeline().context(HttpRequestDecoder.class);
    vertxHandler.pipeline().addBefore(decoder.name(), "berthRawReads", watch.new RawReads());
    vertxHandler.pipeline().addBefore(vertxHandler.name(), "berthMessages", watch.new Messages());
    watch.startHeadTimer();
    vertxHandler.channel().closeFuture().addListener(closed -> watch.stop());
  }

  private void startHeadTimer() {
    if (limits.readHeaderTimeout().isZero() || headTimer != null) {
      return;
    }
    headTimer = channel.eventLoop().schedule(() -> close("no complete request head within "
        + limits.readHeaderTimeout().toMillis() + " ms"), limits.readHeaderTimeout().toNanos(), TimeUnit.NANOSECONDS);
  }

  private void headArrived(HttpRequest head) {
    betweenRequests = false;
    unanswered++;
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
    if (hasBody(head)) {
      readingBody = true;
      startBodyRate();
    }
  }

  private void bodyEnded() {
    readingBody = false;
    stopBodyRate();
    requestMayBeOver();
  }

  private void responseWritten() {
    unanswered = Math.max(0, unanswered - 1);
    requestMayBeOver();
  }

  private void requestMayBeOver() {
    if (unanswered == 0 && !readingBody) {
      betweenRequests = true;
    }
  }

  private void bytesArrived() {
    if (betweenRequests) {
      betweenRequests = false;
      startHeadTimer();
    }
  }

  /** A head Netty could not parse is answered 400 and closed by Vert.x: no body is read for it. */
  private static boolean hasBody(HttpRequest head) {
    if (!head.decoderResult().isSuccess()) {
      return false;
    }
    try {
      return HttpUtil.isTransferEncodingChunked(head) || HttpUtil.getContentLength(head, 0L) > 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private void startBodyRate() {
    if (limits.bodyMinRate() == 0) {
      return;
    }
    long window = limits.bodyRateWindow().toNanos();
    long tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, window / 10));
    bodyRate = new BodyRate(limits.bodyMinRate(), window);
    lastTick = System.nanoTime();
    rateTicks = channel.eventLoop().scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.NANOSECONDS);
  }

  /** Time since the last tick counts as waiting for the client only when the server is reading the socket now. */
  private void tick() {
    long now = System.nanoTime();
    long elapsed = now - lastTick;
    lastTick = now;
    if (channel.config().isAutoRead() && bodyRate.waited(elapsed)) {
      close("request body below " + limits.bodyMinRate() + " bytes/s over " + limits.bodyRateWindow().toMillis()
          + " ms");
    }
  }

  private void stopBodyRate() {
    if (rateTicks != null) {
      rateTicks.cancel(false);
      rateTicks = null;
      bodyRate = null;
    }
  }

  private void stop() {
    if (headTimer != null) {
      headTimer.cancel(false);
      headTimer = null;
    }
    stopBodyRate();
  }

  private void close(String reason) {
    LOG.debug("closing a slow client's connection [client: {}, reason: {}]", channel.remoteAddress(), reason);
    channel.close();
  }

  /** Before the HTTP decoder: notices the first byte of a request on a kept-alive connection. */
  private final class RawReads extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
        bytesArrived();
      }
      ctx.fireChannelRead(msg);
    }
  }

  /** After the HTTP decoder: request heads and bodies coming in, final responses going out. */
  private final class Messages extends ChannelDuplexHandler {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest head) {
        headArrived(head);
      }
      if (msg instanceof HttpContent content && readingBody) {
        if (bodyRate != null) {
          bodyRate.received(content.content().readableBytes());
        }
        if (msg instanceof LastHttpContent) {
          bodyEnded();
        }
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof HttpResponse response) {
        informational = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      }
      if (msg instanceof LastHttpContent && !informational) {
        ChannelPromise written = promise.unvoid();
        written.addListener(done -> {
          if (done.isSuccess()) {
            responseWritten();
          }
        });
        ctx.write(msg, written);
        return;
      }
      ctx.write(msg, promise);
    }
  }
}
