package io.berth.gateway.routes;

import java.util.regex.Pattern;

/**
 * The regular expressions of the {@code /v2/} endpoints under the configured prefix. A repository name may contain
 * slashes, so it is everything up to the last operation keyword; the name itself is validated by the handler.
 */
final class RoutePaths {
  static final String NAME = "(?<name>.+)";

  private RoutePaths() {
  }

  static String v2(String prefix, String tail) {
    return "^" + (prefix.isEmpty() ? "" : Pattern.quote(prefix)) + "/v2/" + tail + "$";
  }
}
