package io.berth.gateway.routes;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a route class declares a {@code /v2/} route: the Vert.x route for one method and one regular expression, which
 * carries that expression so the router itself answers which methods an endpoint has ({@link #methods}, a CORS
 * preflight's {@code Allow}). Vert.x's {@code Route} tells its methods but not its regular expression. Declaring a
 * route here is the one edit: no table beside the route classes repeats their paths and methods.
 */
final class DeclaredRoutes {
  /** The metadata key of a declared route's regular expression, compiled once. */
  static final String REGEX = "berth.route.regex";

  private DeclaredRoutes() {
  }

  /** A route of Berth's own, no OCI endpoint: unnamed, so its requests count under the metrics' {@code other}. */
  static Route route(Router router, HttpMethod method, String regex) {
    return router.routeWithRegex(method, regex).putMetadata(REGEX, Pattern.compile(regex));
  }

  /** A route of {@code endpoint}, named for the metrics. */
  static Route route(Router router, HttpMethod method, String regex, Endpoint endpoint) {
    return endpoint.named(route(router, method, regex));
  }

  /**
   * The methods of the endpoint {@code path} is, if any: of the declared routes with the regular expression of the
   * first declared route that matches it, in the router's order. One expression per path, as distribution's router
   * picks one route by path and its method handler answers with that route's methods. A path two expressions match,
   * {@code /v2/<name>/blobs/uploads}, is the upload endpoint's, declared first (distribution's blob route takes only a
   * digest there).
   */
  static Optional<Set<HttpMethod>> methods(Router router, String path) {
    String endpoint = null;
    Set<HttpMethod> methods = new HashSet<>();
    for (Route route : router.getRoutes()) {
      Pattern regex = route.getMetadata(REGEX);
      if (regex == null) {
        continue;
      }
      if (endpoint == null && regex.matcher(path).matches()) {
        endpoint = regex.pattern();
      }
      if (regex.pattern().equals(endpoint)) {
        methods.addAll(route.methods());
      }
    }
    return endpoint == null ? Optional.empty() : Optional.of(methods);
  }
}
