package io.berth.common.http;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.HttpServerConnection;

/**
 * The Netty pipeline under a Vert.x HTTP/1.x server connection: the one place Berth reaches below Vert.x's public
 * API. Vert.x gives no event for "the response has been written" that vertx-web does not take over
 * ({@code HttpServerResponse.endHandler}), nor a view of whether the server is reading a request, and the connection
 * guard needs both; the pipeline has them as plain Netty messages and {@code autoRead}.
 * {@code ConnectionGuardTest} fails if a Vert.x upgrade changes what this relies on.
 */
public final class ServerChannels {
  private ServerChannels() {
  }

  /** The context of Vert.x's own handler, the last of the connection's pipeline. */
  static ChannelHandlerContext vertxHandler(HttpConnection connection) {
    return ((HttpServerConnection) connection).channelHandlerContext();
  }

  /**
   * Whether the connection's socket is still open. A write that failed because the client went away fails before
   * Vert.x marks the response closed, but after Netty has closed the channel; this tells the two apart.
   */
  public static boolean open(HttpConnection connection) {
    return connection instanceof HttpServerConnection server && server.channelHandlerContext().channel().isActive();
  }
}
