package io.berth.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (S3Proxy), that a test turns faulty to see what a client of the server
 * does when it fails for real: {@link Fault#REFUSE} closes the listening socket (connections are refused),
 * {@link Fault#RESET} accepts and resets each connection, {@link Fault#STALL} accepts and never answers,
 * {@link Fault#SLOW_DOWN} answers each request as S3 does when it sheds load (503 {@code SlowDown}). Turning a
 * fault on also cuts every connection already forwarded (reset), so a client's pooled connections fail too, and a
 * download in flight breaks mid-body. {@link Fault#NONE} forwards again, on the same port.
 */
public final class FaultyTcpProxy implements AutoCloseable {
  /** What the proxy does to connections. */
  public enum Fault { NONE, REFUSE, RESET, STALL, SLOW_DOWN }

  private final InetSocketAddress target;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Fault fault = Fault.NONE;
  private volatile ServerSocket listener;
  private volatile boolean closed;

  private FaultyTcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = bind(0);
    this.port = listener.getLocalPort();
    accept(listener);
  }

  /** A proxy forwarding to {@code target}'s host and port. */
  public static FaultyTcpProxy to(URI target) {
    try {
      return new FaultyTcpProxy(new InetSocketAddress(target.getHost(), target.getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>} of the proxy. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Switches the fault, cutting every connection open now when it is one. */
  public synchronized void fault(Fault next) {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    Fault previous = fault;
    fault = next;
    if (next != Fault.NONE) {
      cutAll();
    }
    try {
      if (next == Fault.REFUSE && previous != Fault.REFUSE) {
        listener.close();
      } else if (next != Fault.REFUSE && previous == Fault.REFUSE) {
        listener = bind(port);
        accept(listener);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    return socket;
  }

  private void accept(ServerSocket server) {
    Thread thread = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          handle(server.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "faulty-proxy-accept-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  private void handle(Socket client) throws IOException {
    open.add(client);
    switch (fault) {
      case RESET, REFUSE -> reset(client);
      case SLOW_DOWN -> slowDown(client);
      case STALL -> {
        // Kept open, never read or answered, until the fault changes or the client gives up.
      }
      case NONE -> {
        Socket upstream;
        try {
          upstream = new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
          reset(client);
          return;
        }
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      }
      default -> throw new IllegalStateException();
    }
  }

  private void slowDown(Socket client) {
    Thread thread = new Thread(() -> {
      try {
        InputStream in = client.getInputStream();
        int matched = 0;
        int read;
        while (matched < 4 && (read = in.read()) >= 0) {
          matched = read == "\r\n\r\n".charAt(matched) ? matched + 1 : (read == '\r' ? 1 : 0);
        }
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code>"
            + "<Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        close(client);
      } catch (IOException e) {
        reset(client);
      }
    }, "faulty-proxy-slowdown-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  /** One direction; its end (the peer closed) closes both sockets, as HTTP peers never half-close. */
  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[64 * 1024];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        int read;
        while ((read = in.read(buffer)) >= 0) {
          out.write(buffer, 0, read);
        }
        close(from);
        close(to);
      } catch (IOException e) {
        reset(from);
        reset(to);
      }
    }, "faulty-proxy-pump-" + port);
    thread.setDaemon(true);
    thread.start();
  }

  private void close(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  private void cutAll() {
    for (Socket socket : open) {
      reset(socket);
    }
  }

  /** Closes with an RST (linger 0), as a crashed server or a middlebox dropping the connection would. */
  private void reset(Socket socket) {
    open.remove(socket);
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed
    }
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closed = true;
    listener.close();
    cutAll();
  }
}
