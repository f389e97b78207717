package io.berth.gateway.http;

import io.berth.common.error.ErrorCode;
import io.berth.common.error.RegistryException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs first on every request: adds the API version header and the operator's {@code http.headers}, and refuses a
 * {@code /v2/} path that is not in normal form. The router matches on the normalised path, so without this check
 * {@code /v2/a/../b/…} would quietly be served as {@code /v2/b/…}; the spec wants NAME_INVALID, never a rewrite.
 */
public final class RegistryHeaders implements Handler<RoutingContext> {
  private static final Pattern NOT_NORMAL = Pattern.compile("//|/\\.{1,2}(/|$)|%");

  private final Map<String, List<String>> headers;
  private final String v2Prefix;

  public RegistryHeaders(Map<String, List<String>> headers, String prefix) {
    this.headers = headers;
    this.v2Prefix = prefix + "/v2/";
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.putHeader("Docker-Distribution-API-Version", "registry/2.0");
    headers.forEach(response::putHeader);
    String path = ctx.request().path();
    if (path.startsWith(v2Prefix) && NOT_NORMAL.matcher(path.substring(v2Prefix.length() - 1)).find()) {
      ctx.fail(new RegistryException(ErrorCode.NAME_INVALID, "invalid repository path: " + path));
      return;
    }
    ctx.next();
  }
}
