package io.berth.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One plain TCP connection to 127.0.0.1 that writes exactly what a test says, as fast or as slowly as it says, and
 * tells when the server closed it: for tests of how a server treats idle, slow and stalled clients.
 */
public final class RawClient implements AutoCloseable {
  private static final int POLL_MS = 20;
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length:\\s*(\\d+)");

  private final Socket socket;
  private final long openedAt = System.nanoTime();
  private boolean closedByServer;

  private RawClient(Socket socket) {
    this.socket = socket;
  }

  public static RawClient connect(int port) {
    return connect(port, 0);
  }

  /** With a small {@code receiveBuffer} (bytes; 0 for the system's), the server's writes fill up soon. */
  public static RawClient connect(int port, int receiveBuffer) {
    try {
      Socket socket = new Socket();
      if (receiveBuffer > 0) {
        socket.setReceiveBufferSize(receiveBuffer);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setTcpNoDelay(true);
      return new RawClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the bytes now; false when the server has closed the connection. */
  public boolean write(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      closedByServer = true;
      return false;
    }
  }

  public boolean write(String text) {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /**
   * Reads (and drops) whatever the server sends until it closes the connection or {@code wait} has passed: true when
   * it closed.
   */
  public boolean closedByServerWithin(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!closedByServer && System.nanoTime() < deadline) {
      awaitClose(Math.max(1, Math.min(POLL_MS * 50L, (deadline - System.nanoTime()) / 1_000_000)));
    }
    return closedByServer;
  }

  /**
   * Sends {@code text} one byte every {@code pace}, watching for the close in between, until the server closes the
   * connection or {@code limit} has passed; the time from connect to the close, or null when the server never closed.
   */
  public Duration trickle(String text, Duration pace, Duration limit) {
    long deadline = openedAt + limit.toNanos();
    byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; System.nanoTime() < deadline; i = (i + 1) % bytes.length) {
      if (!write(new byte[] {bytes[i]})) {
        break;
      }
      long next = System.nanoTime() + pace.toNanos();
      while (!closedByServer && System.nanoTime() < Math.min(next, deadline)) {
        awaitClose(Math.max(1, (Math.min(next, deadline) - System.nanoTime()) / 1_000_000));
      }
      if (closedByServer) {
        break;
      }
    }
    return closedByServer ? sinceOpened() : null;
  }

  /** The first {@code length} bytes the server sends (fewer if it closes first), waiting up to {@code wait}. */
  public String read(int length, Duration wait) {
    StringBuilder text = new StringBuilder();
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      InputStream in = socket.getInputStream();
      while (text.length() < length && System.nanoTime() < deadline) {
        socket.setSoTimeout(POLL_MS);
        try {
          int b = in.read();
          if (b < 0) {
            closedByServer = true;
            break;
          }
          text.append((char) b);
        } catch (SocketTimeoutException e) {
          // nothing yet: look again until the deadline
        }
      }
    } catch (IOException e) {
      closedByServer = true;
    }
    return text.toString();
  }

  /**
   * Reads like a slow but steady client: {@code step} bytes every {@code pace}, until {@code total} bytes have
   * arrived or the server closes; the number of bytes read.
   */
  public long readSteadily(long total, int step, Duration pace) {
    byte[] buffer = new byte[step];
    long read = 0;
    try {
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      while (read < total) {
        int n = in.read(buffer, 0, (int) Math.min(step, total - read));
        if (n < 0) {
          closedByServer = true;
          break;
        }
        read += n;
        Thread.sleep(pace.toMillis());
      }
    } catch (IOException e) {
      closedByServer = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return read;
  }

  /** Reads up to and including the blank line that ends a response head. */
  public String readHead(Duration wait) {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      String next = read(1, wait);
      if (next.isEmpty()) {
        break;
      }
      head.append(next);
    }
    return head.toString();
  }

  /** A whole response with a {@code Content-Length} body: its head and body, or what arrived of it by {@code wait}. */
  public String readResponse(Duration wait) {
    String head = readHead(wait);
    Matcher length = CONTENT_LENGTH.matcher(head);
    return length.find() ? head + read(Integer.parseInt(length.group(1)), wait) : head;
  }

  public Duration sinceOpened() {
    return Duration.ofNanos(System.nanoTime() - openedAt);
  }

  /** Waits up to {@code ms} for the server's close, dropping any bytes it sends meanwhile. */
  private void awaitClose(long ms) {
    try {
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, ms));
      byte[] sink = new byte[8192];
      if (socket.getInputStream().read(sink) < 0) {
        closedByServer = true;
      }
    } catch (SocketTimeoutException e) {
      // still open
    } catch (IOException e) {
      closedByServer = true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
