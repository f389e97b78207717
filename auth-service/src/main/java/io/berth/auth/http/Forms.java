package io.berth.auth.http;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The URL-encoded form bodies of POST /token and /revoke: read here, at most {@value #BODY_LIMIT} bytes (413 beyond)
 * and fields of at most {@value #FIELD_LIMIT} characters, then decoded as UTF-8 for the route's handler. Not Vert.x
 * Web's BodyHandler: its form decoder fails with messages quoting the field it could not read, a password perhaps, and
 * Vert.x Web logs every routing failure with its message at debug.
 */
final class Forms implements Handler<RoutingContext> {
  static final int BODY_LIMIT = 16 * 1024;
  static final int FIELD_LIMIT = 8 * 1024;
  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String KEY = "berth.form";

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    if (request.isEnded()) {
      decoded(ctx, Buffer.buffer());
      return;
    }
    BoundedBody body = new BoundedBody(ctx);
    request.handler(body::append);
    // A stream that breaks (bad chunk framing, a client gone) is the client's doing.
    request.exceptionHandler(failure -> ctx.fail(400, failure));
    request.endHandler(end -> body.end());
    request.resume();
  }

  /** The bytes read so far; past the limit, a 413 and nothing more. */
  private static final class BoundedBody {
    private final RoutingContext ctx;
    private final Buffer bytes = Buffer.buffer();
    private boolean tooLarge;

    BoundedBody(RoutingContext ctx) {
      this.ctx = ctx;
    }

    void append(Buffer chunk) {
      if (tooLarge) {
        return;
      }
      if (bytes.length() + chunk.length() > BODY_LIMIT) {
        tooLarge = true;
        ctx.fail(new TokenException(413, "invalid_request", "request body too large"));
        return;
      }
      bytes.appendBuffer(chunk);
    }

    void end() {
      if (!tooLarge) {
        decoded(ctx, bytes);
      }
    }
  }

  private static void decoded(RoutingContext ctx, Buffer body) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
      ctx.fail(TokenException.invalidRequest("the body must be " + FORM));
      return;
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    for (String field : body.toString(StandardCharsets.UTF_8).split("&")) {
      if (field.length() > FIELD_LIMIT) {
        ctx.fail(TokenException.invalidRequest("a form field is longer than " + FIELD_LIMIT + " characters"));
        return;
      }
      int equals = field.indexOf('=');
      try {
        if (equals > 0) {
          form.add(decode(field.substring(0, equals)), decode(field.substring(equals + 1)));
        } else if (!field.isEmpty()) {
          form.add(decode(field), "");
        }
      } catch (IllegalArgumentException e) {
        // The message quotes what it could not decode: never passed on.
        ctx.fail(TokenException.invalidRequest("malformed percent-escape in the form"));
        return;
      }
    }
    ctx.put(KEY, form);
    ctx.next();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  static MultiMap of(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  static String required(MultiMap form, String name) {
    String value = form.get(name);
    if (value == null || value.isEmpty()) {
      throw TokenException.invalidRequest(name + " is required");
    }
    return value;
  }
}
