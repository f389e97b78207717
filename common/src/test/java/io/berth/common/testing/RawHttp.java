package io.berth.common.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.x over a plain socket: the request goes out exactly as written, so {@code ..}, {@code //} and
 * percent-escapes reach the server unnormalised, and the test decides every header, Host included.
 */
public final class RawHttp {
  private RawHttp() {
  }

  public record Response(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      List<String> values = headers(name);
      return values.isEmpty() ? null : values.get(0);
    }

    public List<String> headers(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }
  }

  /** An HTTP/1.1 request to 127.0.0.1 with the given extra header lines. */
  public static Response send(int port, String method, String target, String... headerLines) {
    return exchange(port, head(port, method, target, headerLines));
  }

  /** The same with a body, which gets its {@code Content-Length}. */
  public static Response send(int port, String method, String target, byte[] body, String... headerLines) {
    List<String> head = head(port, method, target, headerLines);
    head.add("Content-Length: " + body.length);
    return exchange(port, head, body);
  }

  private static List<String> head(int port, String method, String target, String... headerLines) {
    List<String> head = new ArrayList<>();
    head.add(method + " " + target + " HTTP/1.1");
    head.add("Host: 127.0.0.1:" + port);
    head.addAll(List.of(headerLines));
    return head;
  }

  /** A request written line by line as given, then {@code Connection: close} and the blank line. */
  public static Response exchange(int port, List<String> head) {
    return exchange(port, head, new byte[0]);
  }

  /** As {@link #exchange(int, List)}, then the body; every character is written as one ISO-8859-1 byte. */
  public static Response exchange(int port, List<String> head, String body) {
    return exchange(port, head, body.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Response exchange(int port, List<String> head, byte[] body) {
    StringBuilder request = new StringBuilder();
    head.forEach(line -> request.append(line).append("\r\n"));
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      bytes.write(body);
      socket.getOutputStream().write(bytes.toByteArray());
      socket.getOutputStream().flush();
      return parse(request.toString(), new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Response parse(String request, String raw) {
    int end = raw.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete response to\n" + request + "got: " + raw);
    }
    String[] lines = raw.substring(0, end).split("\r\n");
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(lines[i].substring(colon + 1).trim());
    }
    return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
  }
}
