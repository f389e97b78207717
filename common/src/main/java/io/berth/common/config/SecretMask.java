package io.berth.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A copy of a configuration tree fit to print: the value of every key that holds a credential is replaced by
 * {@link #MASK}. A key holds one when its name says so (password, secret, an access, account, API or licence key,
 * credentials: distribution's {@code http.secret}, {@code storage.s3.secretkey}/{@code accesskey},
 * {@code redis.password}, {@code proxy.password}, a hook's SMTP password, …) or when it is a request header of a
 * notification endpoint or a {@code health.http} check (an {@code Authorization} value); and a URL's user information
 * is masked wherever a URL appears.
 * Paths (a TLS key file, an htpasswd file) are not secrets and are kept; the files' contents are never read here.
 */
public final class SecretMask {
  public static final String MASK = "<masked>";
  private static final List<String> SECRET_NAMES = List.of("password", "secret", "accesskey", "accountkey", "apikey",
      "licensekey", "credentials");
  private static final Pattern URL_USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  private SecretMask() {
  }

  public static JsonObject mask(JsonObject config) {
    return object(config, false);
  }

  private static JsonObject object(JsonObject source, boolean secret) {
    JsonObject masked = new JsonObject();
    for (String name : source.fieldNames()) {
      masked.put(name, value(source.getValue(name), secret || isSecret(name), sendsRequests(name)));
    }
    return masked;
  }

  /**
   * {@code requests}: a list whose entries send requests (notification endpoints, {@code health.http} checks), whose
   * {@code headers} are all secret.
   */
  private static Object value(Object value, boolean secret, boolean requests) {
    if (value instanceof JsonObject object) {
      return object(object, secret);
    }
    if (value instanceof JsonArray array) {
      JsonArray masked = new JsonArray();
      for (Object item : array) {
        masked.add(requests && item instanceof JsonObject request ? request(request) : value(item, secret, false));
      }
      return masked;
    }
    if (value == null) {
      return null;
    }
    if (secret) {
      return MASK;
    }
    return value instanceof String text ? URL_USER_INFO.matcher(text).replaceFirst("$1" + MASK + "@") : value;
  }

  private static JsonObject request(JsonObject request) {
    JsonObject masked = object(request, false);
    if (request.getValue("headers") instanceof JsonObject headers) {
      masked.put("headers", object(headers, true));
    }
    return masked;
  }

  /** Notification endpoints, and {@code health.http} (a list there; the top-level {@code http} is a section). */
  private static boolean sendsRequests(String name) {
    return name.equalsIgnoreCase("endpoints") || name.equalsIgnoreCase("http");
  }

  private static boolean isSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return SECRET_NAMES.stream().anyMatch(lower::contains);
  }
}
