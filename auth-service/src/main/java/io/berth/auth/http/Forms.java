package io.berth.auth.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/** The URL-encoded form bodies of POST /token and /revoke. */
final class Forms {
  private static final String FORM = "application/x-www-form-urlencoded";

  private Forms() {
  }

  static MultiMap of(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      throw TokenException.invalidRequest("the body must be " + FORM);
    }
    return ctx.request().formAttributes();
  }

  static String required(MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isEmpty()) {
      throw TokenException.invalidRequest(name + " is required");
    }
    return value;
  }
}
