package io.berth.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Many connections to 127.0.0.1 that never send a byte, opened without blocking (thousands in about a second), and
 * watched for the server closing them: the idle half of a connection-exhaustion attack.
 */
public final class IdleConnections implements AutoCloseable {
  private final Selector selector;
  private final List<SocketChannel> channels;
  private int open;

  private IdleConnections(Selector selector, List<SocketChannel> channels) {
    this.selector = selector;
    this.channels = channels;
    this.open = channels.size();
  }

  /** Opens {@code count} connections and waits until the kernel has completed every one of them. */
  public static IdleConnections open(int port, int count, Duration wait) {
    List<SocketChannel> channels = new ArrayList<>(count);
    try {
      Selector selector = Selector.open();
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
      int pending = 0;
      for (int i = 0; i < count; i++) {
        SocketChannel channel = SocketChannel.open();
        channels.add(channel);
        channel.configureBlocking(false);
        if (!channel.connect(server)) {
          channel.register(selector, SelectionKey.OP_CONNECT);
          pending++;
        } else {
          channel.register(selector, SelectionKey.OP_READ);
        }
      }
      long deadline = System.nanoTime() + wait.toNanos();
      while (pending > 0) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(pending + " of " + count + " connections not completed within " + wait);
        }
        selector.select(100);
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          if (key.isConnectable() && ((SocketChannel) key.channel()).finishConnect()) {
            key.interestOps(SelectionKey.OP_READ);
            pending--;
          }
        }
      }
      return new IdleConnections(selector, channels);
    } catch (IOException e) {
      channels.forEach(IdleConnections::closeQuietly);
      throw new UncheckedIOException(e);
    }
  }

  /** How many of them the server has not closed yet, after noticing the closes that arrived until now. */
  public int stillOpen() {
    pollCloses(0);
    return open;
  }

  /** Waits until the server has closed every connection, or {@code wait} has passed; then the number still open. */
  public int awaitClosedByServer(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (open > 0 && System.nanoTime() < deadline) {
      pollCloses(Math.max(1, Math.min(100, (deadline - System.nanoTime()) / 1_000_000)));
    }
    return open;
  }

  private void pollCloses(long ms) {
    try {
      if ((ms == 0 ? selector.selectNow() : selector.select(ms)) == 0) {
        return;
      }
      ByteBuffer sink = ByteBuffer.allocate(4096);
      Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
      while (ready.hasNext()) {
        SelectionKey key = ready.next();
        ready.remove();
        SocketChannel channel = (SocketChannel) key.channel();
        sink.clear();
        int read;
        try {
          read = channel.read(sink);
        } catch (IOException reset) {
          read = -1;
        }
        if (read < 0) {
          key.cancel();
          closeQuietly(channel);
          open--;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    channels.forEach(IdleConnections::closeQuietly);
    try {
      selector.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a socket the peer already reset: nothing left to release
    }
  }
}
