package io.berth.auth.users;

import io.berth.common.auth.Logins;
import io.berth.common.config.AuthServerConfig;
import io.berth.common.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;

/**
 * Who may log in: the accounts of the htpasswd file {@code authserver.users}, throttled as {@code authserver.throttle}
 * says; without a file, nobody (anonymous only).
 */
public final class Users {
  private final Logins logins;

  private Users(Logins logins) {
    this.logins = logins;
  }

  public static Users from(Vertx vertx, AuthServerConfig config, Metrics metrics) {
    return new Users(config.usersFile() == null ? null
        : Logins.create(vertx, "issuer", config.usersFile(), config.throttle(), metrics));
  }

  /** Fails with {@link io.berth.common.auth.LoginThrottled} when too many logins failed lately. */
  public Future<Boolean> verify(String user, String password, SocketAddress peer) {
    return logins == null ? Future.succeededFuture(false) : logins.login(user, password, peer);
  }

  public Future<Boolean> exists(String user) {
    return logins == null ? Future.succeededFuture(false) : logins.contains(user);
  }
}
