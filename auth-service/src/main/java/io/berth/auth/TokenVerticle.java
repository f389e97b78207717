package io.berth.auth;

import io.berth.auth.acl.AccessPolicy;
import io.berth.auth.http.TokenRoutes;
import io.berth.auth.keys.SigningKey;
import io.berth.auth.keys.SigningKeyLoader;
import io.berth.auth.refresh.FileSystemRefreshTokenStore;
import io.berth.auth.refresh.RefreshTokenStore;
import io.berth.auth.token.TokenIssuer;
import io.berth.auth.token.TokenService;
import io.berth.auth.users.Users;
import io.berth.common.config.AuthServerConfig;
import io.berth.common.config.RegistryConfig;
import io.berth.common.config.TlsConfig;
import io.berth.common.http.ConnectionCap;
import io.berth.common.http.ConnectionGuard;
import io.berth.common.metrics.Metrics;
import io.berth.common.tls.TlsServerOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Clock;

/**
 * Wires the token issuer ({@code authserver}): signing key, users, ACL, refresh tokens, routes, its own HTTP server
 * (HTTPS with {@code authserver.tls}), guarded against idle and slow clients and too many connections
 * ({@code authserver.timeouts}, {@code authserver.maxconnections}: the cap is this verticle's, and a process runs one).
 * Any number of instances, in this process or others, may share a data directory: the refresh tokens and a
 * generated signing key live on it, and every instance reads them there.
 */
public final class TokenVerticle extends VerticleBase {
  private final AuthServerConfig config;
  private final TlsConfig.ServerTls tls;
  private final ConnectionGuard guard;
  private final Metrics metrics;
  private HttpServer server;

  public TokenVerticle(RegistryConfig config) {
    this(config, Metrics.disabled());
  }

  /** {@code metrics}: where login failures and throttled logins are counted. */
  public TokenVerticle(RegistryConfig config, Metrics metrics) {
    this.config = config.authServer();
    this.tls = config.tls().authServer();
    this.guard = new ConnectionGuard(this.config.connections(), ConnectionCap.issuer(this.config.connections()));
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    AccessPolicy policy = new AccessPolicy(config.acl());
    Users users = Users.from(vertx, config, metrics);
    Clock clock = Clock.systemUTC();
    Future<SigningKey> key = vertx.executeBlocking(() -> SigningKeyLoader.load(config));
    Future<RefreshTokenStore> refreshTokens = FileSystemRefreshTokenStore.open(vertx, config.dataDirectory(), clock,
        config.refreshExpiration());
    return Future.all(key, refreshTokens).compose(ready -> {
      TokenIssuer issuer = new TokenIssuer(vertx, key.result(), config.issuer(), config.expiration(), clock);
      TokenService tokens = new TokenService(policy, issuer, refreshTokens.result(), config.service());
      Router router = Router.router(vertx);
      new TokenRoutes(tokens, users, refreshTokens.result(), key.result(), config.issuer()).mount(router);
      HttpServerOptions options = guard.configure(new HttpServerOptions().setHost(config.bindHost())
          .setPort(config.port()));
      return TlsServerOptions.apply(vertx, options, tls).compose(withTls -> {
        server = vertx.createHttpServer(withTls);
        return server.connectionHandler(guard::accept).requestHandler(router).listen();
      });
    });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** Logs the limits the server keeps to. */
  void logLimits() {
    guard.logLimits();
  }

  /** The port actually bound, for configurations that ask for port 0. */
  public int port() {
    return server.actualPort();
  }
}
