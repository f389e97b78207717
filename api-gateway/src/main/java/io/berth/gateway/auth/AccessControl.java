package io.berth.gateway.auth;

import io.berth.common.auth.Logins;
import io.berth.common.auth.Scope;
import io.berth.common.config.AuthConfig;
import io.berth.common.config.ConfigException;
import io.berth.common.metrics.Metrics;
import io.berth.gateway.http.Params;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import java.nio.file.Files;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what, route by route. Each method gives the handler a route puts before its own, demanding the access
 * distribution demands for that kind of request (registry/handlers/app.go, appendAccessRecords): GET/HEAD pull,
 * POST/PUT/PATCH pull and push, DELETE delete, the catalog {@code registry:catalog:*}, a mount also pull on its
 * source, and {@code GET /v2/} authentication alone. With no {@code auth} configured every handler lets all through.
 * In read-only mode the handlers of writes refuse every write once it has passed these checks, as distribution does.
 */
public final class AccessControl {
  /** The RoutingContext key of the authenticated caller's name (user, or token subject), for later use. */
  public static final String USER = "berth.user";

  private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
  private static final AtomicBoolean AUTO_REDIRECT_WARNED = new AtomicBoolean();
  private static final Scope CATALOG = new Scope(Scope.REGISTRY, "catalog", Set.of(Scope.ALL));
  /** Of the same handler kind as {@link AccessHandler}, so a route may put a BodyHandler after it in either mode. */
  private static final SecurityPolicyHandler ALLOW = RoutingContext::next;

  private final Authenticator authenticator;
  private final boolean readOnly;

  private AccessControl(Authenticator authenticator) {
    this(authenticator, false);
  }

  private AccessControl(Authenticator authenticator, boolean readOnly) {
    this.authenticator = authenticator;
    this.readOnly = readOnly;
  }

  /** No authentication: the embedded default. */
  public static AccessControl allowAll() {
    return new AccessControl(null);
  }

  /**
   * Reads what the configured mode needs (user file, certificates, key set) off the event loop. htpasswd logins count
   * into {@code metrics} and into the process's login throttle, which every gateway instance of this Vert.x shares.
   */
  public static Future<AccessControl> load(Vertx vertx, AuthConfig config, Metrics metrics) {
    if (config instanceof AuthConfig.Htpasswd htpasswd) {
      return vertx.executeBlocking(() -> {
        if (!Files.isReadable(htpasswd.path())) {
          throw new ConfigException("auth.htpasswd.path", "cannot read " + htpasswd.path());
        }
        Logins logins = Logins.create(vertx, "registry", htpasswd.path(), htpasswd.throttle(), metrics);
        return new AccessControl(new HtpasswdAuthenticator(logins, htpasswd.realm()));
      }, false);
    }
    if (config instanceof AuthConfig.Token token) {
      if (token.autoRedirect() && AUTO_REDIRECT_WARNED.compareAndSet(false, true)) {
        LOG.warn("auth.token.autoredirect is not supported; challenges name the configured realm [realm: {}]",
            token.realm());
      }
      return vertx.executeBlocking(() -> new AccessControl(new TokenAuthenticator(
          new TokenVerifier(TrustedKeys.load(token.rootCertBundle(), token.jwks(), Clock.systemUTC()),
              algorithms(token), token.issuer(), token.service(), Clock.systemUTC()),
          token.realm(), token.service())), false);
    }
    return Future.succeededFuture(allowAll());
  }

  /** The same checks, with every POST, PUT, PATCH and DELETE refused after them ({@code storage.maintenance.readonly}). */
  public AccessControl readOnly() {
    return new AccessControl(authenticator, true);
  }

  private static Set<JwsAlgorithm> algorithms(AuthConfig.Token token) {
    if (token.signingAlgorithms().isEmpty()) {
      return EnumSet.copyOf(JwsAlgorithm.DEFAULTS);
    }
    Set<JwsAlgorithm> allowed = EnumSet.noneOf(JwsAlgorithm.class);
    for (String name : token.signingAlgorithms()) {
      JwsAlgorithm algorithm = JwsAlgorithm.named(name);
      if (algorithm == null) {
        throw new ConfigException("auth.token.signingalgorithms", "unsupported algorithm " + name);
      }
      allowed.add(algorithm);
    }
    return allowed;
  }

  /** {@code GET /v2/}: any authenticated caller; no scope. */
  public Handler<RoutingContext> authenticated() {
    return guard(ctx -> RequiredAccess.NONE);
  }

  /** GET and HEAD of a repository's content: {@code pull}. */
  public Handler<RoutingContext> pull() {
    return guard(ctx -> RequiredAccess.of(Scope.repository(Params.name(ctx), Scope.PULL)));
  }

  /** POST, PUT and PATCH into a repository: {@code pull} and {@code push}. */
  public Handler<RoutingContext> push() {
    return writeGuard(ctx -> RequiredAccess.of(Scope.repository(Params.name(ctx), Scope.PULL, Scope.PUSH)));
  }

  /** Starting an upload: {@code pull,push}, and {@code pull} on the repository a {@code from} names (a mount). */
  public Handler<RoutingContext> pushOrMount() {
    return writeGuard(ctx -> {
      Scope target = Scope.repository(Params.name(ctx), Scope.PULL, Scope.PUSH);
      String from = ctx.request().getParam("from");
      return from == null || from.isEmpty() ? RequiredAccess.of(target)
          : RequiredAccess.of(target, Scope.repository(Params.repository(from), Scope.PULL));
    });
  }

  /** DELETE in a repository: {@code delete}. */
  public Handler<RoutingContext> delete() {
    return writeGuard(ctx -> RequiredAccess.of(Scope.repository(Params.name(ctx), Scope.DELETE)));
  }

  /** {@code GET /v2/_catalog}: {@code registry:catalog:*}. */
  public Handler<RoutingContext> catalog() {
    return guard(ctx -> RequiredAccess.of(CATALOG));
  }

  private Handler<RoutingContext> guard(Function<RoutingContext, RequiredAccess> required) {
    return authenticator == null ? ALLOW : new AccessHandler(authenticator, required);
  }

  /** distribution authorizes a request before its handler finds the method gone: the challenge comes first. */
  private Handler<RoutingContext> writeGuard(Function<RoutingContext, RequiredAccess> required) {
    if (!readOnly) {
      return guard(required);
    }
    ReadOnlyRefusal refusal = new ReadOnlyRefusal();
    return authenticator == null ? refusal : new AccessHandler(authenticator, required, refusal);
  }
}
