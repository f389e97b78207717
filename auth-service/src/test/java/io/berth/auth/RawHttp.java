package io.berth.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/1.x over a plain socket, for requests no HTTP client would send: without Host, with broken escapes or
 * framing. Every character goes out as one ISO-8859-1 byte.
 */
final class RawHttp {
  private RawHttp() {
  }

  /** The status and body of the answer to the given lines, then {@code Connection: close}, the blank line and body. */
  record Response(int status, String body) {
  }

  static Response exchange(int port, List<String> head, String body) {
    StringBuilder request = new StringBuilder();
    head.forEach(line -> request.append(line).append("\r\n"));
    request.append("Connection: close\r\n\r\n").append(body);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      try {
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // The server may answer a request that is too large and close before reading all of it.
      }
      String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int end = raw.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new IllegalStateException("no HTTP answer: \"" + raw + "\"");
      }
      return new Response(Integer.parseInt(raw.substring(0, end).split(" ")[1]), raw.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
