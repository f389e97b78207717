package io.berth.common.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;

/**
 * Whether a request's target can be read at all, and the Host it was sent to. Vert.x decodes the path (to match
 * routes) and the query (on the first parameter lookup) lazily and throws on a malformed percent-escape wherever that
 * happens, so the servers check the target once, first, and refuse it as the client's error.
 */
public final class RequestTargets {
  private RequestTargets() {
  }

  /** Why the path or query cannot be decoded; null when both can. */
  public static String problem(HttpServerRequest request) {
    String path = request.path();
    if (path != null && !wellEscaped(path)) {
      return "malformed percent-escape in the path";
    }
    try {
      request.params();
    } catch (IllegalArgumentException e) {
      return "malformed percent-escape in the query";
    }
    return null;
  }

  /**
   * The Host the client asked for, as it sent it; null when it sent none, an empty one (legal, RFC 9112 §3.2) or one
   * that names no host, which HTTP/1.0 lets through ({@code a/b}, {@code user@evil}): URLs built on it would point
   * elsewhere.
   */
  public static String host(HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    HostAndPort authority = request.authority();
    return host == null || authority == null || authority.host().isEmpty() ? null : host;
  }

  /**
   * What to tell the client about a request Vert.x Web could not read. The exception it failed with is not quoted: a
   * form decoder's message holds the field it choked on, which may be a password.
   */
  public static String unreadable(HttpServerRequest request) {
    return request.version() != HttpVersion.HTTP_1_0 && request.authority() == null
        ? "missing or invalid Host header" : "malformed request";
  }

  /** Every {@code %} starts an escape of two hex digits (RFC 3986 §2.1). */
  private static boolean wellEscaped(String path) {
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
      if (i + 2 >= path.length() || !isHex(path.charAt(i + 1)) || !isHex(path.charAt(i + 2))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0 && c < 128;
  }
}
