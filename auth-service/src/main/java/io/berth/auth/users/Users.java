package io.berth.auth.users;

import io.berth.common.auth.Htpasswd;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Who may log in: the accounts of the htpasswd file {@code authserver.users}; without one, nobody (anonymous only). */
public final class Users {
  private final Htpasswd htpasswd;

  private Users(Htpasswd htpasswd) {
    this.htpasswd = htpasswd;
  }

  public static Users from(Vertx vertx, Path file) {
    return new Users(file == null ? null : new Htpasswd(vertx, file));
  }

  public Future<Boolean> verify(String user, String password) {
    return htpasswd == null ? Future.succeededFuture(false) : htpasswd.verify(user, password);
  }

  public Future<Boolean> exists(String user) {
    return htpasswd == null ? Future.succeededFuture(false) : htpasswd.contains(user);
  }
}
