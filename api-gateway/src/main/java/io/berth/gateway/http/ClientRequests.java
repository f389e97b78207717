package io.berth.gateway.http;

import io.berth.common.event.RequestInfo;
import io.berth.common.http.RequestTargets;
import io.berth.gateway.auth.AccessControl;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id, answered in {@code X-Request-Id}: the client's own {@code X-Request-Id} when it sent a
 * usable one (so a proxy's or CI system's id follows the request into the registry's events), else a fresh UUID.
 * {@link #info} then describes the request as distribution's events report it, for the bus requests made for it.
 */
public final class ClientRequests implements Handler<RoutingContext> {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "berth.request-id";
  /** Printable ASCII, bounded: the id is echoed in a header and copied into every event of the request. */
  private static final Pattern USABLE_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

  @Override
  public void handle(RoutingContext ctx) {
    String sent = ctx.request().getHeader(HEADER);
    String id = sent != null && USABLE_ID.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /** The request's id ("" before this handler ran). */
  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "" : id;
  }

  /**
   * The request as an event's {@code request} and {@code actor} records: id, the client's address, the Host it asked
   * for, method, User-Agent, and the user access control authenticated ("" when none).
   */
  public static RequestInfo info(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String user = ctx.get(AccessControl.USER);
    return new RequestInfo(id(ctx),
        addr(request.remoteAddress()),
        orEmpty(RequestTargets.host(request)),
        request.method().name(),
        orEmpty(request.getHeader(HttpHeaders.USER_AGENT)),
        orEmpty(user));
  }

  /** host:port as Go's RemoteAddr writes it, an IPv6 host in brackets. */
  static String addr(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return "";
    }
    String host = remote.hostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + remote.port();
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
