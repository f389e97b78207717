package io.berth.gateway.http;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs on every request before its route: adds the API version header and the operator's {@code http.headers}, and
 * refuses a path that is not in normal form, whatever it starts with. The router matches on the normalised path, so
 * without this check {@code /v2/a/../b/…} would quietly be served as {@code /v2/b/…} (the spec wants NAME_INVALID,
 * never a rewrite), and {@code //v2/…}, {@code /./v2/…}, {@code /x/../v2/…} or {@code /%762/…} would reach the
 * {@code /v2/} routes unchecked: security issue #10, where such a path carried an upload id of {@code ..%2F..%2F…}
 * into the blob store. The path must also be the target's own: Vert.x takes a path from the first {@code ://} of any
 * target, so {@code x?a=http://h/v2/…} or {@code http://h?/v2/…}, which HTTP gives no such path, would be served as
 * {@code /v2/…} too. A path that starts or normalises into {@code <prefix>/v2} answers NAME_INVALID, any other
 * NOT_FOUND.
 */
public final class RegistryHeaders implements Handler<RoutingContext> {
  /**
   * Not normal: an empty, {@code .} or {@code ..} segment, any percent-escape (no registry path needs one, and
   * skopeo, podman and Jib send none), a backslash, and anything but printable ASCII (control characters, NUL).
   */
  private static final Pattern NOT_NORMAL = Pattern.compile("//|/\\.{1,2}(/|$)|[%\\\\]|[^\\x21-\\x7e]");
  /** Absolute-form (RFC 9112 §3.2.2): its path starts at the first slash after the authority. */
  private static final Pattern ABSOLUTE_FORM = Pattern.compile("(?is)https?://[^/?#]*(/[^?]*)(?:\\?.*)?");

  private final Map<String, List<String>> headers;
  private final String v2;

  public RegistryHeaders(Map<String, List<String>> headers, String prefix) {
    this.headers = headers;
    this.v2 = prefix + "/v2";
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Docker-Distribution-API-Version", "registry/2.0");
    headers.forEach(response::putHeader);
    String path = ctx.request().path();
    if (path == null || !path.equals(targetPath(ctx.request().uri())) || NOT_NORMAL.matcher(path).find()) {
      ctx.fail(refusal(path, path == null ? "" : ctx.normalizedPath()));
      return;
    }
    ctx.next();
  }

  /**
   * The path the target holds as sent: origin-form's up to the query, absolute-form's after the authority; null for
   * any other target (asterisk-form, authority-form, an absolute-form without a path, anything else).
   */
  private static String targetPath(String target) {
    if (target == null) {
      return null;
    }
    if (target.startsWith("/")) {
      int query = target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }
    Matcher absolute = ABSOLUTE_FORM.matcher(target);
    return absolute.matches() ? absolute.group(1) : null;
  }

  private RegistryException refusal(String path, String normalised) {
    if (underV2(path) || underV2(normalised)) {
      return new RegistryException(ErrorCode.NAME_INVALID, "invalid repository path: " + path);
    }
    return new RegistryException(ErrorCode.NOT_FOUND, "no such endpoint: " + path);
  }

  private boolean underV2(String path) {
    return path != null && (path.equals(v2) || path.startsWith(v2 + "/"));
  }
}
